// PostgreSQL for the event tests: the server at AURORA_TEST_POSTGRES_URL (default
// postgres://postgres@127.0.0.1:5432/test), one throwaway schema per use, dropped afterwards.
import { randomBytes } from 'node:crypto';
import pg from 'pg';

export const postgresUrl = process.env.AURORA_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

/** Set AURORA_TEST_POSTGRES_URL=off to skip the PostgreSQL tests on a machine without a server. */
export const postgresOff = postgresUrl === 'off';

/** A schema name unique to this process and call: aurora_test_<pid>_<random>. */
export function testSchema(): string {
  return `aurora_test_${process.pid}_${randomBytes(4).toString('hex')}`;
}

export function storeUrl(schema: string): string {
  const url = new URL(postgresUrl);
  url.searchParams.set('schema', schema);
  return url.toString();
}

export async function sql<T extends pg.QueryResultRow = pg.QueryResultRow>(text: string, values: unknown[] = []): Promise<T[]> {
  const client = new pg.Client({ connectionString: postgresUrl });
  await client.connect();
  try {
    return (await client.query<T>(text, values)).rows;
  } finally {
    await client.end();
  }
}

export async function dropSchema(schema: string): Promise<void> {
  await sql(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
}

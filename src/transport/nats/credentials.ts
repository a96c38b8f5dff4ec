// How a process proves who it is to the NATS server: user and password, a token, an nkey seed file, or a
// .creds file, taken from AURORA_NATS_* environment variables or from a file of the same KEY=value lines.
// Never from the event log, and never written to a log: describeCredentials names the kind, not the secret.
import { readFileSync, statSync } from 'node:fs';
import {
  credsAuthenticator,
  nkeyAuthenticator,
  type ConnectionOptions,
} from '@nats-io/transport-node';
import { TransportError } from '../errors.js';

export type NatsCredentials =
  | { readonly kind: 'none' }
  | { readonly kind: 'user'; readonly user: string; readonly password: string }
  | { readonly kind: 'token'; readonly token: string }
  | { readonly kind: 'nkey'; readonly seedFile: string }
  | { readonly kind: 'creds'; readonly credsFile: string };

export class NatsConfigError extends TransportError {
  constructor(message: string) {
    super(message);
    this.name = 'NatsConfigError';
  }
}

export const credentialVariables = [
  'AURORA_NATS_USER',
  'AURORA_NATS_PASSWORD',
  'AURORA_NATS_TOKEN',
  'AURORA_NATS_NKEY',
  'AURORA_NATS_CREDS',
] as const;

type Variables = Partial<Record<(typeof credentialVariables)[number], string>>;

/** Credentials from AURORA_NATS_USER + AURORA_NATS_PASSWORD, AURORA_NATS_TOKEN, AURORA_NATS_NKEY or AURORA_NATS_CREDS. */
export function credentialsFromEnv(env: NodeJS.ProcessEnv = process.env): NatsCredentials {
  const vars: Variables = {};
  for (const name of credentialVariables) {
    const value = env[name];
    if (value !== undefined && value !== '') vars[name] = value;
  }
  return fromVariables(vars, 'the environment');
}

/**
 * Credentials from a file of `AURORA_NATS_…=value` lines (the same names as the environment variables;
 * `#` starts a comment; values may be quoted). A file others can read is used, with a warning.
 */
export function credentialsFromFile(path: string, warn: (line: string) => void = () => {}): NatsCredentials {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
    if ((statSync(path).mode & 0o077) !== 0) warn(`aurora: ${path} can be read by other users; chmod 600 it`);
  } catch (err) {
    throw new NatsConfigError(`cannot read the NATS credentials file ${path}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
  const vars: Variables = {};
  text.split(/\r?\n/).forEach((raw, index) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    const match = /^(?:export\s+)?([A-Z_][A-Z0-9_]*)\s*=\s*(.*)$/.exec(line);
    if (!match) throw new NatsConfigError(`${path}:${index + 1}: expected KEY=value`);
    const [, key, rawValue] = match as unknown as [string, string, string];
    if (!(credentialVariables as readonly string[]).includes(key)) {
      throw new NatsConfigError(`${path}:${index + 1}: unknown key ${key} (expected one of ${credentialVariables.join(', ')})`);
    }
    const value = /^(['"])(.*)\1$/.exec(rawValue)?.[2] ?? rawValue;
    if (value !== '') vars[key as keyof Variables] = value;
  });
  return fromVariables(vars, path);
}

function fromVariables(vars: Variables, where: string): NatsCredentials {
  const kinds = [
    vars.AURORA_NATS_USER !== undefined || vars.AURORA_NATS_PASSWORD !== undefined ? 'AURORA_NATS_USER/PASSWORD' : null,
    vars.AURORA_NATS_TOKEN !== undefined ? 'AURORA_NATS_TOKEN' : null,
    vars.AURORA_NATS_NKEY !== undefined ? 'AURORA_NATS_NKEY' : null,
    vars.AURORA_NATS_CREDS !== undefined ? 'AURORA_NATS_CREDS' : null,
  ].filter((k): k is string => k !== null);
  if (kinds.length > 1) throw new NatsConfigError(`${where} sets more than one kind of NATS credentials: ${kinds.join(', ')}`);
  if (vars.AURORA_NATS_USER !== undefined || vars.AURORA_NATS_PASSWORD !== undefined) {
    if (vars.AURORA_NATS_USER === undefined || vars.AURORA_NATS_PASSWORD === undefined) {
      throw new NatsConfigError(`${where} sets only one of AURORA_NATS_USER and AURORA_NATS_PASSWORD`);
    }
    return { kind: 'user', user: vars.AURORA_NATS_USER, password: vars.AURORA_NATS_PASSWORD };
  }
  if (vars.AURORA_NATS_TOKEN !== undefined) return { kind: 'token', token: vars.AURORA_NATS_TOKEN };
  if (vars.AURORA_NATS_NKEY !== undefined) return { kind: 'nkey', seedFile: vars.AURORA_NATS_NKEY };
  if (vars.AURORA_NATS_CREDS !== undefined) return { kind: 'creds', credsFile: vars.AURORA_NATS_CREDS };
  return { kind: 'none' };
}

/** The connection options that present these credentials (reads the nkey or creds file now). */
export function connectionAuth(credentials: NatsCredentials): Pick<ConnectionOptions, 'user' | 'pass' | 'token' | 'authenticator'> {
  switch (credentials.kind) {
    case 'none':
      return {};
    case 'user':
      return { user: credentials.user, pass: credentials.password };
    case 'token':
      return { token: credentials.token };
    case 'nkey': {
      const seed = readSecret(credentials.seedFile, 'nkey seed').trim();
      if (!/^SU[A-Z2-7]+$/.test(seed)) throw new NatsConfigError(`${credentials.seedFile} does not hold a user nkey seed (SU…)`);
      return { authenticator: nkeyAuthenticator(new TextEncoder().encode(seed)) };
    }
    case 'creds':
      return { authenticator: credsAuthenticator(new TextEncoder().encode(readSecret(credentials.credsFile, 'creds'))) };
    default: {
      const never: never = credentials;
      return never;
    }
  }
}

/** Names the credentials for a log line without their secret. */
export function describeCredentials(credentials: NatsCredentials): string {
  switch (credentials.kind) {
    case 'none':
      return 'no credentials';
    case 'user':
      return `user ${credentials.user}`;
    case 'token':
      return 'a token';
    case 'nkey':
      return `the nkey in ${credentials.seedFile}`;
    case 'creds':
      return `the creds file ${credentials.credsFile}`;
    default: {
      const never: never = credentials;
      return never;
    }
  }
}

function readSecret(path: string, what: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (err) {
    throw new NatsConfigError(`cannot read the NATS ${what} file ${path}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
}

/** A server URL fit for a log line: any user:password@ part removed. */
export function redactUrl(url: string): string {
  return url.replace(/\/\/[^@/]*@/, '//');
}

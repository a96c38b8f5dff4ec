import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { nkeys } from '@nats-io/transport-node';
import {
  connectionAuth,
  credentialsFromEnv,
  credentialsFromFile,
  describeCredentials,
  NatsConfigError,
  redactUrl,
} from '../../src/transport/nats/credentials.js';
import { NatsTransport } from '../../src/transport/nats/nats-transport.js';
import { startNatsServer } from '../support/nats-process.js';
import { createRoleHandler } from './fixtures/handlers.js';
import { evaluate } from './fixtures/messages.js';

const dir = mkdtempSync(join(tmpdir(), 'aurora-creds-'));

test.after(() => rmSync(dir, { recursive: true, force: true }));

test('given user and password variables, when read, then they are the credentials, described without the password', () => {
  const c = credentialsFromEnv({ AURORA_NATS_USER: 'worker', AURORA_NATS_PASSWORD: 's3cret' });
  assert.equal(c, { kind: 'user', user: 'worker', password: 's3cret' });
  assert.equal(connectionAuth(c), { user: 'worker', pass: 's3cret' });
  assert.is(describeCredentials(c), 'user worker');
  assert.not.match(describeCredentials(credentialsFromEnv({ AURORA_NATS_TOKEN: 'tok3n' })), /tok3n/);
});

test('given no variables, when read, then there are no credentials', () => {
  assert.equal(credentialsFromEnv({}), { kind: 'none' });
});

test('given two kinds of credentials or half a pair, when read, then it is a configuration error naming the variables only', () => {
  assert.throws(
    () => credentialsFromEnv({ AURORA_NATS_TOKEN: 'tok3n', AURORA_NATS_USER: 'u', AURORA_NATS_PASSWORD: 'p4ss' }),
    (err: Error) => err instanceof NatsConfigError && /AURORA_NATS_TOKEN/.test(err.message) && !/tok3n|p4ss/.test(err.message),
  );
  assert.throws(() => credentialsFromEnv({ AURORA_NATS_USER: 'u' }), /only one of AURORA_NATS_USER and AURORA_NATS_PASSWORD/);
});

test('given a credentials file, when read, then comments, quotes and export are understood and unknown keys refused', () => {
  const path = join(dir, 'worker.env');
  writeFileSync(path, '# the worker\nexport AURORA_NATS_USER=worker\nAURORA_NATS_PASSWORD="with spaces = and #"\n');
  chmodSync(path, 0o600);
  const warnings: string[] = [];
  assert.equal(credentialsFromFile(path, (w) => warnings.push(w)), { kind: 'user', user: 'worker', password: 'with spaces = and #' });
  assert.equal(warnings, []);
  const bad = join(dir, 'bad.env');
  writeFileSync(bad, 'AURORA_NATS_PASSWORD=x\nPATH=/bin\n');
  chmodSync(bad, 0o644);
  assert.throws(() => credentialsFromFile(bad), /bad\.env:2: unknown key PATH/);
  assert.throws(() => credentialsFromFile(join(dir, 'missing.env')), /cannot read the NATS credentials file .*ENOENT/);
});

test('given a credentials file others can read, when read, then a warning says so', () => {
  const path = join(dir, 'open.env');
  writeFileSync(path, 'AURORA_NATS_TOKEN=t\n');
  chmodSync(path, 0o644);
  const warnings: string[] = [];
  credentialsFromFile(path, (w) => warnings.push(w));
  assert.is(warnings.length, 1);
  assert.match(warnings[0]!, /chmod 600/);
});

test('given a URL with a password in it, when redacted for a log line, then the password is gone', () => {
  assert.is(redactUrl('nats://worker:s3cret@10.0.0.5:4222'), 'nats://10.0.0.5:4222');
  assert.is(redactUrl('nats://127.0.0.1:4222'), 'nats://127.0.0.1:4222');
});

test('given a server that wants a token or an nkey, when the transport connects with AURORA_NATS_TOKEN or AURORA_NATS_NKEY, then requests work', async () => {
  const tokenServer = await startNatsServer({ args: ['--auth', 'tok-123'] });
  const user = nkeys.createUser();
  const seedFile = join(dir, 'worker.nk');
  writeFileSync(seedFile, new TextDecoder().decode(user.getSeed()) + '\n');
  chmodSync(seedFile, 0o600);
  const nkeyServer = await startNatsServer({
    config: ({ port }) => `listen: 127.0.0.1:${port}\nauthorization { users = [ { nkey: ${user.getPublicKey()} } ] }\n`,
  });
  try {
    for (const [server, env] of [
      [tokenServer, { AURORA_NATS_TOKEN: 'tok-123' }],
      [nkeyServer, { AURORA_NATS_NKEY: seedFile }],
    ] as const) {
      const credentials = credentialsFromEnv(env);
      const worker = await NatsTransport.connect({ servers: server.url, credentials, log: () => {} });
      const controller = await NatsTransport.connect({ servers: server.url, credentials, log: () => {} });
      await worker.serve('simulator', createRoleHandler('simulator'));
      assert.is((await controller.request('simulator', evaluate(2))).scenarioId, 's2');
      await controller.close();
      await worker.close();
      const refused = await NatsTransport.connect({ servers: server.url, credentials: { kind: 'none' }, log: () => {} }).catch((e: unknown) => e);
      assert.instance(refused, Error);
      assert.match((refused as Error).message, /cannot connect to NATS at nats:\/\/127\.0\.0\.1:\d+ with no credentials/);
    }
  } finally {
    await tokenServer.stop();
    await nkeyServer.stop();
  }
});

test.run();

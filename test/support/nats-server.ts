// A real `nats-server -js` for relay tests: a free 127.0.0.1 port, a temporary JetStream store, SIGKILL
// and restart on the same port and store, and clean-up whatever happens. Built on nats-process.ts (the
// generic server helper), which also kills every server it started when the test process exits.
import { startNatsServer, type NatsServerProcess } from './nats-process.js';

export interface JetStreamServer extends NatsServerProcess {
  /** SIGKILL, as a crash would (acknowledged messages not yet flushed may be lost: nats-server 2.9). */
  kill9(): Promise<void>;
  /** Starts it again (after kill9, or killing it first) on the same port with the same store. */
  restart(): Promise<void>;
  /** Stops it and removes its store. */
  stop(): Promise<void>;
}

export function startJetStreamServer(): Promise<JetStreamServer> {
  return startNatsServer({ jetstream: true });
}

/** Runs `use` with a fresh JetStream server and always stops it afterwards. */
export async function withJetStreamServer<T>(use: (server: JetStreamServer) => Promise<T>): Promise<T> {
  const server = await startJetStreamServer();
  try {
    return await use(server);
  } finally {
    await server.stop();
  }
}

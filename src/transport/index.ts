// The transports between the controller and the role workers: the port and its two adapters.
export type { Handler, Log, RequestOptions, Served, ServeOptions, Transport } from './port.js';
export { DEFAULT_RETRIES, DEFAULT_TIMEOUT_MS, stderrLog } from './port.js';
export {
  InvalidMessageError,
  NoHandlerError,
  PermissionDeniedError,
  RemoteError,
  RequestTimeoutError,
  TransportClosedError,
  TransportError,
  type Direction,
  type Side,
} from './errors.js';
export { InProcessTransport, type InProcessOptions } from './in-process.js';
export { NatsTransport, type NatsConnectOptions, type NatsTransportOptions } from './nats/nats-transport.js';
export type { NatsTransportStats } from './nats/context.js';
export {
  credentialsFromEnv,
  credentialsFromFile,
  describeCredentials,
  NatsConfigError,
  type NatsCredentials,
} from './nats/credentials.js';

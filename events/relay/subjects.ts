// Where relayed events go on NATS: the JetStream stream, the subject of each event, and its headers.
//
//   stream   AURORA_EVENTS, subjects aurora.events.>, file storage
//   subject  aurora.events.<runId>.<EventType>
//   headers  Nats-Msg-Id = event id (JetStream's de-duplication key), Aurora-Position = global position in
//            the store, Aurora-Type = event type
//   payload  the event's canonical MessagePack bytes, {type, data, metadata} (events/fingerprint.ts)
//
// A run id is one subject token: letters, digits, `_` and `-` are kept; any other character (`.`, `*`,
// `>`, spaces, `%`, …) is written as %XX per UTF-8 byte, so the token is valid and the run id recoverable.
export const relayStream = 'AURORA_EVENTS';
export const relaySubjectPrefix = 'aurora.events';

export const relayHeaders = {
  msgId: 'Nats-Msg-Id',
  position: 'Aurora-Position',
  type: 'Aurora-Type',
} as const;

const plain = /^[A-Za-z0-9_-]+$/;

/** A subject token for `value` (see above). */
export function subjectToken(value: string): string {
  if (plain.test(value)) return value;
  let out = '';
  for (const ch of value) {
    if (/[A-Za-z0-9_-]/.test(ch)) out += ch;
    else for (const byte of Buffer.from(ch, 'utf8')) out += `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

/** The run id a subject token stands for. */
export function fromSubjectToken(token: string): string {
  return decodeURIComponent(token);
}

/** aurora.events.<runId>.<EventType> */
export function eventSubject(runId: string, type: string, prefix = relaySubjectPrefix): string {
  return `${prefix}.${subjectToken(runId)}.${subjectToken(type)}`;
}

// The relay uses only what nats-server 2.9 offers (JetStream file streams, Nats-Msg-Id de-duplication,
// Nats-Expected-Last-Sequence, STREAM.MSG.GET); an older server gets one warning line.
export const minimumServerVersion = '2.9.0';

function parts(version: string): number[] {
  const core = /^v?(\d+)\.(\d+)\.(\d+)/.exec(version.trim());
  return core === null ? [] : [Number(core[1]), Number(core[2]), Number(core[3])];
}

/** True when `version` (e.g. "2.8.4", "v2.10.1-beta") is older than `minimum`; false when unparseable. */
export function isOlderThan(version: string, minimum: string = minimumServerVersion): boolean {
  const v = parts(version);
  const m = parts(minimum);
  if (v.length === 0 || m.length === 0) return false;
  for (let i = 0; i < 3; i++) if (v[i] !== m[i]) return v[i]! < m[i]!;
  return false;
}

/** The warning line for a server older than the minimum, or null. */
export function serverVersionWarning(version: string | undefined): string | null {
  if (version === undefined) return null;
  return isOlderThan(version)
    ? `warning: nats-server ${version} is older than ${minimumServerVersion}; the relay needs JetStream as in 2.9 (de-duplication, expected last sequence, message get)`
    : null;
}

#!/usr/bin/env python3
"""Follow an AURORA run live from outside, with nothing but the Python 3 standard library.

It speaks the NATS client protocol over a TCP socket itself (INFO, CONNECT with user and password,
SUB, PUB, MSG/HMSG with headers, PING/PONG), reads the JetStream stream AURORA_EVENTS through an
ephemeral push consumer it creates for one run (or every run), decodes each event's MessagePack payload
with the small decoder below, and prints one JSON line per event:

    {"position": 17, "type": "ScenarioProposed", "eventId": "r1:1:0", "runId": "r1", "iteration": 1,
     "streamSequence": 17, "subject": "aurora.events.r1.ScenarioProposed", "metadata": {...}, "data": {...}}

Usage:

    AURORA_NATS_USER=observer AURORA_NATS_PASSWORD=... \\
      python3 follow_run.py --server nats://127.0.0.1:4222 --run r1abc-7 [--until-type RunCompleted]

It starts at the run's first event (or --from-sequence N, a stream sequence), and keeps following until
Ctrl-C, or until it has printed an event of --until-type. The `observer` user of AURORA's nats.conf is all
it needs: it only creates consumers on AURORA_EVENTS and listens on its own inbox.

Ordering: the consumer delivers in stream order with no acknowledgements. Every delivery carries its
consumer and stream sequence (in the reply subject); when a consumer sequence is skipped (a message
lost, a server restart) or the consumer stops sending heartbeats, the consumer is recreated from the
stream sequence after the last one printed, so the output has no gap and no duplicate (the "ordered
consumer" of the NATS clients).
"""

import argparse
import base64
import json
import os
import secrets
import signal
import socket
import struct
import sys
import time
from urllib.parse import urlparse

STREAM = "AURORA_EVENTS"
SUBJECT_PREFIX = "aurora.events"
HEARTBEAT_SECONDS = 2.0


# ── MessagePack ─────────────────────────────────────────────────────────────────────────────────────


class MsgpackError(ValueError):
    pass


def unpack(data):
    """Decodes one MessagePack value that fills `data` exactly (maps become dicts, bin becomes bytes)."""
    value, end = _unpack(data, 0)
    if end != len(data):
        raise MsgpackError("%d bytes left over after the value" % (len(data) - end))
    return value


def _need(data, at, n):
    if at + n > len(data):
        raise MsgpackError("truncated at byte %d" % at)


def _unpack(data, at):
    _need(data, at, 1)
    b = data[at]
    at += 1
    if b <= 0x7F:  # positive fixint
        return b, at
    if b >= 0xE0:  # negative fixint
        return b - 0x100, at
    if 0xA0 <= b <= 0xBF:  # fixstr
        return _str(data, at, b & 0x1F)
    if 0x90 <= b <= 0x9F:  # fixarray
        return _array(data, at, b & 0x0F)
    if 0x80 <= b <= 0x8F:  # fixmap
        return _map(data, at, b & 0x0F)
    if b == 0xC0:
        return None, at
    if b == 0xC2:
        return False, at
    if b == 0xC3:
        return True, at
    sized = {
        0xC4: (">B", "bin"), 0xC5: (">H", "bin"), 0xC6: (">I", "bin"),
        0xD9: (">B", "str"), 0xDA: (">H", "str"), 0xDB: (">I", "str"),
        0xDC: (">H", "array"), 0xDD: (">I", "array"),
        0xDE: (">H", "map"), 0xDF: (">I", "map"),
    }
    if b in sized:
        fmt, kind = sized[b]
        width = struct.calcsize(fmt)
        _need(data, at, width)
        (n,) = struct.unpack_from(fmt, data, at)
        at += width
        if kind == "bin":
            _need(data, at, n)
            return bytes(data[at:at + n]), at + n
        return {"str": _str, "array": _array, "map": _map}[kind](data, at, n)
    numbers = {
        0xCA: ">f", 0xCB: ">d",
        0xCC: ">B", 0xCD: ">H", 0xCE: ">I", 0xCF: ">Q",
        0xD0: ">b", 0xD1: ">h", 0xD2: ">i", 0xD3: ">q",
    }
    if b in numbers:
        fmt = numbers[b]
        width = struct.calcsize(fmt)
        _need(data, at, width)
        (n,) = struct.unpack_from(fmt, data, at)
        return n, at + width
    ext = {0xD4: 1, 0xD5: 2, 0xD6: 4, 0xD7: 8, 0xD8: 16}
    if b in ext or b in (0xC7, 0xC8, 0xC9):
        raise MsgpackError("extension types are not used in AURORA events (byte 0x%02x)" % b)
    raise MsgpackError("invalid first byte 0x%02x" % b)


def _str(data, at, n):
    _need(data, at, n)
    return bytes(data[at:at + n]).decode("utf-8"), at + n


def _array(data, at, n):
    out = []
    for _ in range(n):
        value, at = _unpack(data, at)
        out.append(value)
    return out, at


def _map(data, at, n):
    out = {}
    for _ in range(n):
        key, at = _unpack(data, at)
        value, at = _unpack(data, at)
        out[key] = value
    return out, at


def jsonable(value):
    """bytes (MessagePack bin) as base64 text; everything else is already JSON data."""
    if isinstance(value, bytes):
        return base64.b64encode(value).decode("ascii")
    if isinstance(value, list):
        return [jsonable(v) for v in value]
    if isinstance(value, dict):
        return {k: jsonable(v) for k, v in value.items()}
    return value


# ── subjects ────────────────────────────────────────────────────────────────────────────────────────


def subject_token(value):
    """A run id as one subject token, as AURORA writes it: [A-Za-z0-9_-] kept, anything else %XX per UTF-8 byte."""
    out = []
    for ch in value:
        if ch.isascii() and (ch.isalnum() or ch in "_-"):
            out.append(ch)
        else:
            out.extend("%%%02X" % byte for byte in ch.encode("utf-8"))
    return "".join(out)


# ── the NATS client protocol ────────────────────────────────────────────────────────────────────────


class NatsError(RuntimeError):
    pass


class Refused(NatsError):
    """The server turned the credentials away: retrying will not help."""


class StreamMissing(NatsError):
    """The stream does not exist (yet): the relay creates it when it starts."""


class Message:
    def __init__(self, subject, sid, reply, headers, status, payload):
        self.subject = subject
        self.sid = sid
        self.reply = reply
        self.headers = headers  # dict: header name -> last value
        self.status = status  # e.g. "100 Idle Heartbeat" for JetStream control messages, else None
        self.payload = payload


def parse_headers(block):
    """`NATS/1.0[ status]\\r\\nKey: Value\\r\\n…\\r\\n\\r\\n` → (status or None, {key: value})."""
    lines = block.decode("utf-8").split("\r\n")
    first = lines[0]
    if not first.startswith("NATS/1.0"):
        raise NatsError("bad header block: %r" % first)
    status = first[len("NATS/1.0"):].strip() or None
    headers = {}
    for line in lines[1:]:
        if not line:
            continue
        key, _, value = line.partition(":")
        headers[key.strip()] = value.strip()
    return status, headers


class NatsConnection:
    def __init__(self, url, user=None, password=None, timeout=10.0):
        parsed = urlparse(url if "://" in url else "nats://" + url)
        self.host = parsed.hostname or "127.0.0.1"
        self.port = parsed.port or 4222
        user = user or parsed.username
        password = password or parsed.password
        self.sock = socket.create_connection((self.host, self.port), timeout=timeout)
        self.buffer = bytearray()
        self.pending = []  # messages that arrived while waiting for an API answer
        self.next_sid = 1
        info = self._read_line()
        if not info.startswith(b"INFO "):
            raise NatsError("expected INFO from the server, got %r" % info[:80])
        self.info = json.loads(info[5:])
        if not self.info.get("headers"):
            raise NatsError("this NATS server does not support headers (JetStream needs nats-server 2.2+)")
        connect = {
            "verbose": False,
            "pedantic": False,
            "headers": True,
            "no_responders": True,
            "protocol": 1,
            "lang": "python-stdlib",
            "version": "1.0",
            "name": "aurora-follow-run.py",
        }
        if user:
            connect["user"] = user
            connect["pass"] = password or ""
        self._send(b"CONNECT " + json.dumps(connect).encode() + b"\r\nPING\r\n")
        # The server answers PONG once it accepted CONNECT, or -ERR (bad credentials) and closes.
        while True:
            line = self._read_line()
            if line == b"PONG":
                break
            if line.startswith(b"-ERR"):
                raise Refused("server refused the connection: " + line[5:].decode().strip())
            if line.startswith(b"INFO ") or line == b"+OK":
                continue
            if line == b"PING":
                self._send(b"PONG\r\n")

    def close(self):
        try:
            self.sock.close()
        except OSError:
            pass

    def _send(self, data):
        self.sock.sendall(data)

    def _fill(self):
        chunk = self.sock.recv(65536)
        if not chunk:
            raise NatsError("the server closed the connection")
        self.buffer.extend(chunk)

    def _read_line(self):
        while True:
            end = self.buffer.find(b"\r\n")
            if end >= 0:
                line = bytes(self.buffer[:end])
                del self.buffer[:end + 2]
                return line
            self._fill()

    def _read_exact(self, n):
        while len(self.buffer) < n:
            self._fill()
        data = bytes(self.buffer[:n])
        del self.buffer[:n]
        return data

    def subscribe(self, subject):
        sid = str(self.next_sid)
        self.next_sid += 1
        self._send(("SUB %s %s\r\n" % (subject, sid)).encode())
        return sid

    def unsubscribe(self, sid):
        self._send(("UNSUB %s\r\n" % sid).encode())

    def publish(self, subject, payload, reply=None):
        head = "PUB %s %s%d\r\n" % (subject, (reply + " ") if reply else "", len(payload))
        self._send(head.encode() + payload + b"\r\n")

    def next_message(self, timeout):
        """The next MSG or HMSG, answering PINGs meanwhile; None when `timeout` seconds pass without one."""
        if self.pending:
            return self.pending.pop(0)
        deadline = time.monotonic() + timeout
        while True:
            if b"\r\n" not in self.buffer:
                left = deadline - time.monotonic()
                if left <= 0:
                    return None
                self.sock.settimeout(left)
                try:
                    self._fill()
                except socket.timeout:
                    return None
                continue
            line = self._read_line()
            if line.startswith(b"HMSG ") or line.startswith(b"MSG "):
                return self._message(line)
            if line == b"PING":
                self._send(b"PONG\r\n")
            elif line.startswith(b"-ERR"):
                # Permission errors do not close the connection; anything else does.
                text = line[5:].decode().strip()
                if "Permissions Violation" not in text:
                    raise NatsError("server error: " + text)
                sys.stderr.write("follow_run.py: server refused: %s\n" % text)
            # +OK, PONG, INFO: nothing to do

    def _message(self, line):
        parts = line.decode().split(" ")
        if parts[0] == "HMSG":
            # HMSG <subject> <sid> [reply] <header bytes> <total bytes>
            subject, sid = parts[1], parts[2]
            reply = parts[3] if len(parts) == 6 else None
            header_size, total = int(parts[-2]), int(parts[-1])
            body = self._read_exact(total + 2)[:total]
            status, headers = parse_headers(body[:header_size])
            return Message(subject, sid, reply, headers, status, body[header_size:])
        # MSG <subject> <sid> [reply] <bytes>
        subject, sid = parts[1], parts[2]
        reply = parts[3] if len(parts) == 5 else None
        size = int(parts[-1])
        payload = self._read_exact(size + 2)[:size]
        return Message(subject, sid, reply, {}, None, payload)

    def request(self, subject, payload, inbox, timeout=5.0):
        """Publishes with a reply subject under `inbox` (already subscribed) and waits for the answer."""
        reply = "%s.%s" % (inbox, secrets.token_hex(4))
        self.publish(subject, payload, reply)
        deadline = time.monotonic() + timeout
        early = []
        try:
            while True:
                msg = self.next_message(max(0.0, deadline - time.monotonic()))
                if msg is None:
                    raise NatsError("no answer from %s within %.0f s" % (subject, timeout))
                if msg.subject == reply:
                    if msg.status and msg.status.startswith("503"):
                        raise NatsError("no responders on %s (is JetStream enabled?)" % subject)
                    return msg
                early.append(msg)  # a delivery that came before the answer: kept, in order
        finally:
            self.pending = early + self.pending


# ── JetStream: an ordered push consumer on AURORA_EVENTS ────────────────────────────────────────────


def ack_metadata(reply):
    """Stream and consumer sequence from a JetStream delivery's reply subject ($JS.ACK.…)."""
    if not reply or not reply.startswith("$JS.ACK."):
        return None
    tokens = reply.split(".")
    # v1: $JS.ACK.<stream>.<consumer>.<delivered>.<sseq>.<dseq>.<ts>.<pending>
    # v2: $JS.ACK.<domain>.<account>.<stream>.<consumer>.<delivered>.<sseq>.<dseq>.<ts>.<pending>[.<token>]
    offset = 2 if len(tokens) == 9 else 4
    return {"stream_seq": int(tokens[offset + 3]), "consumer_seq": int(tokens[offset + 4])}


class Follower:
    """An ordered consumer: every event of the filter, in stream order, once, across gaps and reconnects."""

    def __init__(self, connect, run_id, stream, start_seq):
        self.connect = connect
        self.nc = None
        self.stream = stream
        self.filter = "%s.%s.>" % (SUBJECT_PREFIX, subject_token(run_id)) if run_id else SUBJECT_PREFIX + ".>"
        self.inbox = None
        self.deliver_sid = None
        self.last_stream_seq = start_seq - 1
        self.expected_consumer_seq = 1
        self.last_seen = time.monotonic()
        self.consumers = 0

    def _open(self):
        self.nc = self.connect()
        self.inbox = "_INBOX." + secrets.token_hex(8)
        self.nc.subscribe(self.inbox + ".api.*")
        self.deliver_sid = None

    def start(self):
        """(Re)creates the consumer from the stream sequence after the last one printed."""
        if self.deliver_sid is not None:
            self.nc.unsubscribe(self.deliver_sid)  # the old consumer goes away once nobody listens
        self.consumers += 1
        deliver = "%s.deliver.%d" % (self.inbox, self.consumers)
        self.deliver_sid = self.nc.subscribe(deliver)
        config = {
            "deliver_subject": deliver,
            "ack_policy": "none",
            "filter_subject": self.filter,
            "replay_policy": "instant",
            "flow_control": False,
            "idle_heartbeat": int(HEARTBEAT_SECONDS * 1e9),
            "mem_storage": True,
        }
        if self.last_stream_seq <= 0:
            config["deliver_policy"] = "all"
        else:
            config["deliver_policy"] = "by_start_sequence"
            config["opt_start_seq"] = self.last_stream_seq + 1
        body = json.dumps({"stream_name": self.stream, "config": config}).encode()
        answer = self.nc.request("$JS.API.CONSUMER.CREATE." + self.stream, body, self.inbox + ".api")
        reply = json.loads(answer.payload or b"{}")
        if "error" in reply:
            error = reply["error"]
            kind = StreamMissing if error.get("err_code") == 10059 else NatsError
            raise kind("cannot create a consumer on %s: %s (%s)" % (self.stream, error.get("description"), error.get("code")))
        self.expected_consumer_seq = 1
        self.last_seen = time.monotonic()

    def reset(self, why):
        sys.stderr.write("follow_run.py: %s; resuming after stream sequence %d\n" % (why, self.last_stream_seq))
        self.start()

    def events(self):
        """Yields (stream sequence, subject, headers, payload) in stream order, without gaps, for ever."""
        pause = 0.25
        while True:
            try:
                if self.nc is None:
                    self._open()
                    self.start()
                for item in self._deliveries():
                    pause = 0.25
                    yield item
            except StreamMissing as err:
                sys.stderr.write("follow_run.py: %s; waiting for it\n" % err)
                time.sleep(1.0)
                self.deliver_sid = None
                if self.nc is not None:
                    self.nc.close()
                self.nc = None
            except Refused:
                raise
            except (OSError, NatsError) as err:
                sys.stderr.write("follow_run.py: lost the connection (%s); reconnecting\n" % err)
                if self.nc is not None:
                    self.nc.close()
                self.nc = None
                time.sleep(pause)
                pause = min(2.0, pause * 2)

    def _deliveries(self):
        while True:
            msg = self.nc.next_message(HEARTBEAT_SECONDS)
            if msg is None:
                if time.monotonic() - self.last_seen > 3 * HEARTBEAT_SECONDS:
                    self.reset("no message or heartbeat for %.0f s" % (3 * HEARTBEAT_SECONDS))
                continue
            if msg.sid != self.deliver_sid:
                continue  # a late API answer, or a message of a consumer already replaced
            self.last_seen = time.monotonic()
            if msg.status is not None:
                # Idle heartbeat: says which consumer sequence it last sent; at or past ours means we missed one.
                last = msg.headers.get("Nats-Last-Consumer")
                if last is not None and int(last) >= self.expected_consumer_seq:
                    self.reset("missed deliveries up to consumer sequence %s" % last)
                continue
            meta = ack_metadata(msg.reply)
            if meta is None:
                continue
            if meta["consumer_seq"] != self.expected_consumer_seq:
                self.reset("consumer sequence %d where %d was due" % (meta["consumer_seq"], self.expected_consumer_seq))
                continue
            self.expected_consumer_seq += 1
            if meta["stream_seq"] <= self.last_stream_seq:
                continue
            self.last_stream_seq = meta["stream_seq"]
            yield meta["stream_seq"], msg.subject, msg.headers, msg.payload


def main(argv):
    parser = argparse.ArgumentParser(description="Follow AURORA events from NATS JetStream (one JSON line per event).")
    parser.add_argument("--server", default=os.environ.get("AURORA_NATS_URL", "nats://127.0.0.1:4222"))
    parser.add_argument("--user", default=os.environ.get("AURORA_NATS_USER"))
    parser.add_argument("--password", default=os.environ.get("AURORA_NATS_PASSWORD"))
    parser.add_argument("--run", help="run id to follow (default: every run)")
    parser.add_argument("--stream", default=STREAM)
    parser.add_argument("--from-sequence", type=int, default=1, help="first stream sequence (default 1: from the start)")
    parser.add_argument("--until-type", help="exit 0 after printing an event of this type (e.g. RunCompleted)")
    args = parser.parse_args(argv)

    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    connect = lambda: NatsConnection(args.server, args.user, args.password)
    try:
        connect().close()  # a wrong URL or password fails now, not in the reconnect loop
    except (OSError, NatsError) as err:
        sys.stderr.write("follow_run.py: cannot connect to %s: %s\n" % (args.server, err))
        return 1
    follower = Follower(connect, args.run, args.stream, args.from_sequence)
    try:
        for seq, subject, headers, payload in follower.events():
            event = unpack(payload)
            metadata = event.get("metadata", {})
            line = {
                "position": int(headers["Aurora-Position"]) if "Aurora-Position" in headers else None,
                "type": event.get("type"),
                "eventId": headers.get("Nats-Msg-Id", metadata.get("eventId")),
                "runId": metadata.get("runId"),
                "iteration": metadata.get("iteration"),
                "streamSequence": seq,
                "subject": subject,
                "metadata": jsonable(metadata),
                "data": jsonable(event.get("data")),
            }
            sys.stdout.write(json.dumps(line, separators=(",", ":"), ensure_ascii=False) + "\n")
            sys.stdout.flush()
            if args.until_type and event.get("type") == args.until_type:
                return 0
    except KeyboardInterrupt:
        return 0
    except BrokenPipeError:
        return 0
    except (OSError, NatsError, MsgpackError) as err:
        sys.stderr.write("follow_run.py: %s\n" % err)
        return 1
    finally:
        if follower.nc is not None:
            follower.nc.close()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

// The server's stdout writer: responses leave once their turn is over, notifications share a write for a
// few milliseconds, and what leaves is the messages in the order they were sent, each framed by its byte length.
import * as assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { NOTIFICATION_DELAY_MS, StdioMessageWriter } from '../../server/src/stdioWriter';

/** A stdout stand-in recording each system-call-sized write (a writev of several chunks counts once). */
function recordingOutput(): { out: Writable; writes: Buffer[][] } {
  const writes: Buffer[][] = [];
  const out = new Writable({
    write(chunk: Buffer, _encoding, done) {
      writes.push([chunk]);
      done();
    },
    writev(chunks, done) {
      writes.push(chunks.map((c) => c.chunk as Buffer));
      done();
    },
  });
  return { out, writes };
}

/** The messages in `bytes`, checking each header's Content-Length against the body's bytes. */
function framed(bytes: Buffer): unknown[] {
  const messages: unknown[] = [];
  let at = 0;
  while (at < bytes.length) {
    const headerEnd = bytes.indexOf('\r\n\r\n', at);
    assert.ok(headerEnd > at, 'a header before every body');
    const header = /^Content-Length: (\d+)$/.exec(bytes.subarray(at, headerEnd).toString('latin1'));
    assert.ok(header, 'a Content-Length header');
    const start = headerEnd + 4;
    const end = start + Number(header[1]);
    assert.ok(end <= bytes.length, 'the body is as long as its header says');
    messages.push(JSON.parse(bytes.subarray(start, end).toString('utf8')));
    at = end;
  }
  return messages;
}

const tick = (): Promise<void> => new Promise((resolve) => process.nextTick(resolve));
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

const notification = (n: number) => ({
  jsonrpc: '2.0',
  method: 'textDocument/publishDiagnostics',
  params: { uri: `file:///t/${n}.html`, diagnostics: [{ message: `'é/ü ${n}' is not found` }] },
});

describe('server stdio writer: one write for what goes out together', () => {
  it('sends a response after its turn, taking the notifications written before it along, in order', async () => {
    const { out, writes } = recordingOutput();
    const writer = new StdioMessageWriter(out);
    const sent = [notification(1), notification(2), { jsonrpc: '2.0', id: 7, result: { items: ['ü'] } }];
    const done = Promise.all(sent.map((m) => writer.write(m)));
    assert.equal(writes.length, 0, 'nothing leaves within the turn');
    await tick();
    await done;
    assert.equal(writes.length, 1, 'one write for the three messages');
    assert.deepEqual(framed(Buffer.concat(writes[0])), sent);
  });

  it('holds notifications for a moment and sends them in one write', async () => {
    const { out, writes } = recordingOutput();
    const writer = new StdioMessageWriter(out);
    const sent = [notification(1), notification(2), notification(3)];
    const written = Promise.all(sent.map((m) => writer.write(m)));
    await tick();
    assert.equal(writes.length, 0, 'a notification waits for company');
    const started = Date.now();
    await written;
    assert.ok(Date.now() - started < NOTIFICATION_DELAY_MS + 200, 'and leaves within the delay');
    assert.equal(writes.length, 1);
    assert.deepEqual(framed(Buffer.concat(writes[0])), sent);
    // A later notification starts a new wait: nothing is held back for good.
    await writer.write(notification(4));
    await sleep(0);
    assert.equal(writes.length, 2);
    assert.deepEqual(framed(Buffer.concat(writes[1])), [notification(4)]);
  });

  it('sends a request (the server asking the client) without the notifications delay', async () => {
    const { out, writes } = recordingOutput();
    const writer = new StdioMessageWriter(out);
    const request = { jsonrpc: '2.0', id: 1, method: 'workspace/configuration', params: { items: [] } };
    void writer.write(notification(1));
    void writer.write(request);
    await tick();
    assert.equal(writes.length, 1);
    assert.deepEqual(framed(Buffer.concat(writes[0])), [notification(1), request]);
  });
});

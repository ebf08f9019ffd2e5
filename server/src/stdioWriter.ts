/**
 * The server's messages on stdout. vscode-jsonrpc's stream writer takes one turn of the event loop per
 * message (behind a semaphore) and writes the header and the body separately: two system calls, each waking
 * the client. During the workspace check (2,000 publishDiagnostics) that was a third of the server's time,
 * and it made the check yield after every template so the notifications could go out.
 *
 * Responses and requests leave once the turn that made them is over. Notifications (diagnostics, progress,
 * log lines) wait up to NOTIFICATION_DELAY_MS for company: a write wakes the client, and on a busy machine
 * the woken client takes the server's core, so the check's 2,000 notifications cost a few hundred
 * milliseconds as 500 small writes and far less as a few dozen. Order is kept: everything leaves through
 * one stream, and a response takes every notification written before it along.
 */
import { AbstractMessageWriter, Message, MessageWriter } from 'vscode-languageserver/node';

type Output = NodeJS.WritableStream & { cork(): void; uncork(): void };

/** How long a notification may wait for others to share its write: unnoticeable in an editor. */
export const NOTIFICATION_DELAY_MS = 20;

export class StdioMessageWriter extends AbstractMessageWriter implements MessageWriter {
  private corked = false;
  private flushTick = false;
  private flushTimer: NodeJS.Timeout | undefined;

  constructor(private readonly out: Output) {
    super();
    out.on('error', (err: Error) => this.fireError(err));
    out.on('close', () => this.fireClose());
  }

  write(msg: Message): Promise<void> {
    let message: Buffer;
    try {
      // Encoded once, header and body in one buffer: one piece of the write per message.
      const body = JSON.stringify(msg);
      const length = Buffer.byteLength(body, 'utf8');
      const header = `Content-Length: ${length}\r\n\r\n`;
      message = Buffer.allocUnsafe(header.length + length);
      message.write(header, 0, 'latin1');
      message.write(body, header.length, 'utf8');
    } catch (err) {
      this.fireError(err, msg);
      return Promise.reject(err);
    }
    if (!this.corked) {
      this.corked = true;
      this.out.cork();
    }
    const written = new Promise<void>((resolve, reject) => {
      this.out.write(message, (err?: Error | null) => (err ? reject(err) : resolve()));
    });
    if (isNotification(msg)) {
      if (!this.flushTick && !this.flushTimer) this.flushTimer = setTimeout(this.flush, NOTIFICATION_DELAY_MS);
    } else if (!this.flushTick) {
      // What one turn of work sends leaves in a single write, once that turn is over.
      this.flushTick = true;
      process.nextTick(this.flush);
    }
    return written;
  }

  end(): void {
    // stdout stays open for the process; the client ends the session with `exit`.
    this.flush();
  }

  private readonly flush = (): void => {
    clearTimeout(this.flushTimer);
    this.flushTimer = undefined;
    this.flushTick = false;
    if (!this.corked) return;
    this.corked = false;
    this.out.uncork();
  };
}

function isNotification(msg: Message): boolean {
  return 'method' in msg && !('id' in msg);
}

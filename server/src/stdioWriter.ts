/**
 * The server's messages on stdout, written the moment they are sent. vscode-jsonrpc's stream writer takes one
 * turn of the event loop per message (behind a semaphore) and writes the header and the body separately: two
 * system calls, each waking the client. During the workspace check (2,000 publishDiagnostics) that was a third
 * of the server's time, and it made the check yield after every template so the notifications could go out.
 */
import { AbstractMessageWriter, Message, MessageWriter } from 'vscode-languageserver/node';

type Output = NodeJS.WritableStream & { cork(): void; uncork(): void };

export class StdioMessageWriter extends AbstractMessageWriter implements MessageWriter {
  private corked = false;

  constructor(private readonly out: Output) {
    super();
    out.on('error', (err: Error) => this.fireError(err));
    out.on('close', () => this.fireClose());
  }

  write(msg: Message): Promise<void> {
    let header: string;
    let body: Buffer;
    try {
      // Encoded once (not measured, then copied behind the header and encoded again): 2.5 MB in the workspace check.
      body = Buffer.from(JSON.stringify(msg), 'utf8');
      header = `Content-Length: ${body.length}\r\n\r\n`;
    } catch (err) {
      this.fireError(err, msg);
      return Promise.reject(err);
    }
    // What one turn of work sends leaves in a single writev, once that turn is over.
    if (!this.corked) {
      this.corked = true;
      this.out.cork();
      process.nextTick(() => {
        this.corked = false;
        this.out.uncork();
      });
    }
    this.out.write(header, 'latin1');
    return new Promise((resolve, reject) => {
      this.out.write(body, (err?: Error | null) => (err ? reject(err) : resolve()));
    });
  }

  end(): void {
    // stdout stays open for the process; the client ends the session with `exit`.
  }
}

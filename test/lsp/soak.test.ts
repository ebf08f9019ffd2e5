/**
 * The soak the reliability issue asks for: 20,000 LSP requests interleaved with edits and static files
 * appearing and disappearing on disk. Every request must be answered with the right content, and the
 * server's memory must stay flat. Latency is printed, not asserted (performance lives in the benchmark).
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CompletionItem, CompletionList, FileChangeType, Hover, Location, LocationLink } from 'vscode-languageserver-protocol/node';
import { copyDemo, ensureBuilt, fileUri, labels, LspClient, removeCopy } from './lspClient';
import { percentile } from '../../scripts/bench/stats';

const TOTAL = Number(process.env.SOAK_REQUESTS ?? 20000);
/** Requests in flight at once: an editor sends completion, hover and links together while the user types. */
const CONCURRENCY = 20;

function rssMb(pid: number): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? NaN);
  return kb / 1024;
}

describe('language server: soak of 20,000 requests with edits and file changes', function () {
  this.timeout(600000);
  let root = '';
  let client: LspClient | undefined;
  before(() => ensureBuilt());
  after(async () => {
    await client?.stop();
    if (root) removeCopy(root);
  });

  it('answers every request correctly and keeps its memory flat', async () => {
    root = copyDemo();
    client = await LspClient.start({ root, clientWatches: true });
    await client.waitForProjects(0, 60000);
    const pid = client.process.pid!;
    const page = path.join(root, 'templates', 'soak.html');
    const uri = fileUri(page);
    // Line 1 is the cursor line for completion; line 2 has a path for hover and definition.
    const textFor = (n: number) =>
      `{% load static %}\n<link href="{% static 'css/' %}">\n<script src="{% static 'js/app.js' %}"></script>\n<!-- edit ${n} -->\n`;
    fs.writeFileSync(page, textFor(0));
    client.open(page, 'django-html', textFor(0));
    let version = 1;
    const generated = path.join(root, 'assets', 'css', 'soak-generated.css');

    const latencies: number[] = [];
    const memory: { at: number; mb: number }[] = [];
    let failures: string[] = [];
    let fileThere = false;
    let sent = 0;

    async function one(i: number): Promise<void> {
      const kind = i % 4;
      const started = performance.now();
      if (kind === 0) {
        const result = await client!.request<CompletionList | CompletionItem[] | null>('textDocument/completion', {
          textDocument: { uri },
          position: { line: 1, character: '<link href="{% static \'css/'.length },
        });
        if (!labels(result).includes('site.css')) failures.push(`completion ${i}: ${labels(result).join(', ')}`);
      } else if (kind === 1) {
        const result = await client!.request<Hover | null>('textDocument/hover', {
          textDocument: { uri },
          position: { line: 2, character: '<script src="{% static \'js/a'.length },
        });
        if (!result || !JSON.stringify(result.contents).includes('app.js')) failures.push(`hover ${i}: ${JSON.stringify(result)}`);
      } else if (kind === 2) {
        const result = await client!.request<Location[] | LocationLink[] | null>('textDocument/definition', {
          textDocument: { uri },
          position: { line: 2, character: '<script src="{% static \'js/a'.length },
        });
        const target = result?.[0] && ('uri' in result[0] ? result[0].uri : result[0].targetUri);
        if (!target?.endsWith('/assets/js/app.js')) failures.push(`definition ${i}: ${JSON.stringify(result)}`);
      } else {
        const result = await client!.request<{ target?: string }[] | null>('textDocument/documentLink', { textDocument: { uri } });
        if (!result?.some((link) => link.target?.endsWith('/assets/js/app.js'))) failures.push(`links ${i}: ${JSON.stringify(result)}`);
      }
      latencies.push(performance.now() - started);
      if (failures.length > 20) failures = failures.slice(0, 20);
    }

    while (sent < TOTAL) {
      const batch: Promise<void>[] = [];
      for (let k = 0; k < CONCURRENCY && sent < TOTAL; k++) batch.push(one(sent++));
      await Promise.all(batch);
      // Every 200 requests the user types; every 1,000 a build writes or removes a stylesheet.
      if (sent % 200 === 0) client.change(page, ++version, textFor(version));
      if (sent % 1000 === 0) {
        if (fileThere) fs.rmSync(generated);
        else fs.writeFileSync(generated, 'body {}\n');
        client.sendWatchedFile(generated, fileThere ? FileChangeType.Deleted : FileChangeType.Created);
        fileThere = !fileThere;
      }
      if (sent === Math.floor(TOTAL / 20) || sent === Math.floor(TOTAL / 2) || sent === TOTAL) memory.push({ at: sent, mb: rssMb(pid) });
    }

    // The file changes reached the index: the generated stylesheet is offered when present, and not after.
    if (!fileThere) {
      fs.writeFileSync(generated, 'body {}\n');
      client.sendWatchedFile(generated, FileChangeType.Created);
    }
    const offered = await pollCompletion(client, uri, 'soak-generated.css');
    assert.ok(offered, 'a stylesheet created on disk is offered after the soak');

    const sorted = [...latencies].sort((a, b) => a - b);
    const figures = `${latencies.length} requests (${CONCURRENCY} in flight): p50 ${percentile(sorted, 50).toFixed(1)} ms, p95 ${percentile(sorted, 95).toFixed(1)} ms, max ${sorted[sorted.length - 1].toFixed(0)} ms; RSS ${memory.map((m) => `${m.mb.toFixed(0)} MB at ${m.at}`).join(', ')}`;
    console.log(`      soak: ${figures}`);
    assert.equal(latencies.length, TOTAL, 'every request was answered');
    assert.deepEqual(failures, [], 'every answer had the expected content');
    const [start, middle, end] = memory;
    // Flat: the second half adds no more than a quarter of what the server held after warming up.
    assert.ok(end.mb - middle.mb < Math.max(24, start.mb * 0.25), `memory grew in the second half: ${figures}`);
  });
});

async function pollCompletion(client: LspClient, uri: string, label: string): Promise<boolean> {
  const deadline = Date.now() + 10000;
  while (Date.now() < deadline) {
    const result = await client.request<CompletionList | CompletionItem[] | null>('textDocument/completion', {
      textDocument: { uri },
      position: { line: 1, character: '<link href="{% static \'css/'.length },
    });
    if (labels(result).includes(label)) return true;
    await new Promise((r) => setTimeout(r, 100));
  }
  return false;
}

// "Run on a queue": why the page cannot send jobs itself, and the commands that run this graph on a
// job queue from a shell — the same file, the same results (README, "Many machines").
import { useState } from 'react';

/** A word for a POSIX shell: as it is when plain, else in single quotes. */
export function shellWord(s: string): string {
  return /^[A-Za-z0-9_./:@%+=,-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}

export function QueueDialog({ name, onExport, onClose }: { name: string; onExport: () => void; onClose: () => void }) {
  const [url, setUrl] = useState('redis://HOST:6379');
  const [copied, setCopied] = useState<'copied' | 'failed' | null>(null);
  const queue = shellWord(url.trim() || 'redis://HOST:6379');
  const command = `corespace run ${shellWord(`${name}.json`)} --queue ${queue}`;
  return (
    <div className="cs-dialog" data-testid="queue-dialog">
      <header>
        <b>Run on a job queue</b>
        <button type="button" onClick={onClose}>
          Close
        </button>
      </header>
      <p data-testid="queue-why">
        This page runs graphs in its own engine and cannot send them to a queue: a browser opens no TCP connections, and the queue is a Redis server, which speaks only TCP (BullMQ&apos;s workers and
        runner are Node processes). Run the same graph file from a shell instead; its results are the same, and <code>run.json</code> says which worker ran each node.
      </p>
      <label>
        queue{' '}
        <input aria-label="queue URL" data-testid="queue-url" size={36} value={url} onChange={(e) => (setUrl(e.target.value), setCopied(null))} />
      </label>
      <ol>
        <li>
          <button type="button" onClick={onExport}>
            Export
          </button>{' '}
          the graph (tick &ldquo;with files&rdquo; first if it reads files) as <code>{name}.json</code>.
        </li>
        <li>
          On each machine: <code data-testid="queue-worker">corespace worker --queue {queue}</code>
        </li>
        <li>
          Then: <code data-testid="queue-command">{command}</code>{' '}
          <button
            type="button"
            data-testid="queue-copy"
            onClick={() =>
              (navigator.clipboard?.writeText(command) ?? Promise.reject(new Error('no clipboard'))).then(
                () => setCopied('copied'),
                () => setCopied('failed'),
              )
            }
          >
            Copy
          </button>
        </li>
      </ol>
      {copied && <p className={copied === 'failed' ? 'cs-error' : 'cs-muted'}>{copied === 'copied' ? '✓ Copied to the clipboard' : 'Not copied (the browser refused the clipboard): select the command and copy it'}</p>}
      <p className="cs-muted">A password in the URL (redis://:PASSWORD@HOST:6379) never reaches run.json or the workers&apos; logs, but a shell keeps its history: prefer a queue on a private network.</p>
    </div>
  );
}

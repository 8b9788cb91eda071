import { load } from 'cheerio';
import { parentPort } from 'node:worker_threads';
import { processPage } from './page-processor';
import type { ExtractionJob, ExtractionReply } from './extraction-pool';

/** Parses and extracts pages off the crawler's thread, one message at a time. */
parentPort!.on('message', (job: ExtractionJob) => {
  let reply: ExtractionReply;
  try {
    const $ = load(job.html, { xml: { xmlMode: false, decodeEntities: true } });
    const { html: _html, ...input } = job.input;
    reply = { id: job.id, result: processPage({ ...input, $ }) };
  } catch (error) {
    reply = { id: job.id, error: error instanceof Error ? error.message : String(error) };
  }
  parentPort!.postMessage(reply);
});

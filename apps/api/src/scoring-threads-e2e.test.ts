import { cpSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { testItem } from './testing/create-test-bundle';
import { rejection, startTestServer, type TestServer } from './testing/test-server';

describe('scoring threads (GRADESHIFT_SCORING_THREADS=2)', () => {
  let threaded: TestServer;
  let inline: TestServer;
  beforeAll(async () => {
    threaded = await startTestServer({ env: { GRADESHIFT_SCORING_THREADS: '2' } });
    inline = await startTestServer();
  });
  afterAll(async () => {
    await threaded.close();
    await inline.close();
  });

  it('scores exactly as the HTTP thread does, concurrently', async () => {
    const items = Array.from({ length: 40 }, (_, i) => ({ id: String(i), text: testItem(i) }));
    const expected = await inline.client().score.mutate({ query: 'deck paint', items });
    const results = await Promise.all(
      Array.from({ length: 8 }, () =>
        threaded.client().score.mutate({ query: 'deck paint', items }),
      ),
    );
    for (const result of results) expect(result.items).toEqual(expected.items);
  });

  it('reloads in every thread, and refuses a broken bundle with its code', async () => {
    const client = threaded.client();
    const broken = join(threaded.dirs.models, 'broken');
    cpSync(join(threaded.dirs.models, 'alt'), broken, { recursive: true });
    writeFileSync(join(broken, 'model.onnx'), 'not a model');
    const failure = await rejection(client.models.reload.mutate({ id: 'alt', path: 'broken' }));
    expect(failure.data?.httpStatus).toBe(422);
    expect(failure.message).toContain('CHECKSUM_MISMATCH');
    const reloaded = await client.models.reload.mutate({ id: 'default', path: 'alt' });
    expect(reloaded.model.version).toBe(2);
    const scored = await client.score.mutate({
      query: 'deck',
      items: [{ id: 'a', text: 'deck paint' }],
    });
    expect(scored.model.sha256).toBe(reloaded.model.sha256);
    // Both threads serve the new model (the second adopted the first's checked bundle), alike.
    const items = Array.from({ length: 20 }, (_, i) => ({ id: String(i), text: testItem(i) }));
    const answers = await Promise.all(
      Array.from({ length: 8 }, () => client.score.mutate({ query: 'deck paint', items })),
    );
    for (const answer of answers) {
      expect(answer.model.sha256).toBe(reloaded.model.sha256);
      expect(answer.items).toEqual(answers[0]?.items);
    }
  });
});

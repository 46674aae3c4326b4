// Job-thread entry: workspace packages are TypeScript source (conventions §1.3), so the thread registers tsx's
// loader in itself first, as the scoring threads do.
import { register } from 'tsx/esm/api';

register();
await import('./job-thread-main.ts');

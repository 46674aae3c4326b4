// Worker-thread entry: workspace packages are TypeScript source (conventions §1.3), so the thread registers tsx's
// loader in itself first, as apps/cli/bin/gradeshift.js does for the command.
import { register } from 'tsx/esm/api';

register();
await import('./scoring-thread.ts');

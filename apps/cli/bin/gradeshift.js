#!/usr/bin/env node
// The `gradeshift` command. Workspace packages are consumed as TypeScript source (conventions §1.3), so the
// entry point runs through tsx's ESM loader, registered in this process so signals and exit codes pass straight
// through (no child process).
import { register } from 'tsx/esm/api';

register();
await import('../src/main.ts');

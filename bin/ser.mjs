#!/usr/bin/env node
// The CLI is written in TypeScript; tsx compiles it on the fly so `npx ser` works straight after `npm ci`.
import { register } from 'tsx/esm/api';

register();
await import('../electron/cli/main.ts');

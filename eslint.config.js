// ESLint flat config: the recommended JavaScript and TypeScript rules over everything we write.
import js from '@eslint/js';
import { defineConfig } from 'eslint/config';
import tseslint from 'typescript-eslint';

// TypeScript checks names itself (typescript-eslint turns no-undef off for .ts), so globals only matter for
// the few plain .js/.mjs files; they are listed here rather than pulling in the `globals` package.
const nodeGlobals = { console: 'readonly', process: 'readonly' };
const browserGlobals = { console: 'readonly', window: 'readonly', document: 'readonly' };

export default defineConfig(
  { ignores: ['node_modules/', 'dist/', 'release/', 'tmp/', '.cache/', 'bench/peer/'] },
  js.configs.recommended,
  tseslint.configs.recommended,
  { files: ['**/*.{js,mjs,cjs}'], ignores: ['renderer/**'], languageOptions: { globals: nodeGlobals } },
  // The renderer is a sandboxed web page: browser globals, no Node.
  { files: ['renderer/**/*.js'], languageOptions: { globals: browserGlobals } },
);

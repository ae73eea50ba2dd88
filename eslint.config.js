const js = require('@eslint/js');
const tseslint = require('typescript-eslint');

module.exports = tseslint.config(
  { ignores: ['node_modules/**', '.data/**', 'dist/**', 'coverage/**', 'test-output/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    // The core is platform-free: no chat SDK, queue, Redis, HTTP framework or file system in it.
    files: ['src/core/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            '@slack/*',
            '@microsoft/*',
            'botbuilder*',
            'bullmq',
            'ioredis',
            'express',
            'node:fs',
            'fs',
            'node:http',
            '../platforms/*',
            '../storage/*',
            '../jobs/*',
            '../cards/*',
            '../flows/*',
          ],
        },
      ],
    },
  },
  // Platforms never import each other (each renders the engine's neutral messages on its own).
  ...['slack', 'teams', 'playground'].map((platform) => ({
    files: [`src/platforms/${platform}/**/*.ts`],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: ['slack', 'teams', 'playground']
            .filter((other) => other !== platform)
            .flatMap((other) => [
              `../${other}/*`,
              `../../${other}/*`,
              `../../../${other}/*`,
              `**/platforms/${other}/*`,
            ]),
        },
      ],
    },
  })),
  {
    files: ['**/*.js'],
    languageOptions: {
      sourceType: 'commonjs',
      globals: {
        require: 'readonly',
        module: 'writable',
        process: 'readonly',
        console: 'readonly',
        __dirname: 'readonly',
      },
    },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
);

// The direction of the house: editor → (nodes, viewer, storage) → engine → shaders.
// `npm test` runs this; a violation fails the build.
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'engine-is-independent',
      comment: 'engine/ imports nothing from the app layers above it',
      severity: 'error',
      from: { path: '^engine/' },
      to: { path: '^(editor|viewer|storage|nodes|cli)/' },
    },
    {
      name: 'engine-runs-in-a-browser-worker',
      comment: 'engine/ uses no Node-only module (tests aside); the headless runner lives in cli/',
      severity: 'error',
      from: { path: '^engine/', pathNot: '\\.test\\.ts$' },
      to: { dependencyTypes: ['core'] },
    },
    {
      name: 'nodes-use-the-public-engine-api',
      comment: 'nodes/ import the engine only through engine/index.ts, never a backend internal',
      severity: 'error',
      from: { path: '^nodes/', pathNot: '\\.test\\.ts$' },
      to: { path: '^engine/', pathNot: '^engine/index\\.ts$' },
    },
    {
      name: 'nodes-no-app-layers',
      severity: 'error',
      from: { path: '^nodes/' },
      to: { path: '^(editor|viewer|storage|cli)/' },
    },
    {
      name: 'viewer-storage-below-editor',
      comment: 'viewer/ and storage/ never reach up into the editor, nor run the engine (viewer)',
      severity: 'error',
      from: { path: '^(viewer|storage)/' },
      to: { path: '^(editor|cli)/' },
    },
    {
      name: 'no-circular',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(node_modules|dist|corespace-out)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { extensions: ['.ts', '.tsx', '.js', '.mjs', '.json'] },
  },
};

// Injected by scripts/build.mjs into its CommonJS bundles, where `import.meta.url` is defined
// as this: the URL of the bundle file that runs.
export const importMetaUrl = require('node:url').pathToFileURL(__filename).href;

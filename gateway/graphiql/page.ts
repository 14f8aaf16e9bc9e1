// An offline GraphiQL page for development and training. Every asset comes from npm
// packages installed with the project (graphiql, react, react-dom): no CDN, so the page
// works on an air-gapped training network.
import { createRequire } from 'node:module';
import path from 'node:path';
import express from 'express';
import { EXAMPLES } from './examples.ts';

const require = createRequire(import.meta.url);
const packageDir = (name: string) => path.dirname(require.resolve(`${name}/package.json`));

/** Static assets under /graphiql/assets/. */
export function graphiqlAssets(): express.Router {
  const router = express.Router();
  const files: Record<string, string> = {
    'react.js': path.join(packageDir('react'), 'umd/react.production.min.js'),
    'react-dom.js': path.join(packageDir('react-dom'), 'umd/react-dom.production.min.js'),
    'graphiql.js': path.join(packageDir('graphiql'), 'graphiql.min.js'),
    'graphiql.css': path.join(packageDir('graphiql'), 'graphiql.min.css'),
  };
  router.get('/:file', (req, res) => {
    // Own keys only: "__proto__" or "constructor" must be a 404, not an inherited value sent as a path (a 500).
    const file = Object.hasOwn(files, req.params.file) ? files[req.params.file] : undefined;
    if (!file) {
      res.status(404).type('text/plain').send('no such asset');
      return;
    }
    res.sendFile(file, { maxAge: '1d' });
  });
  return router;
}

/**
 * The page itself; `endpoint` is the GraphQL path it talks to. `headers` fill the header
 * editor: a bearer token and purpose code (every request needs both, see gateway/auth/).
 */
export function graphiqlPage(endpoint: string, mode: string, headers: Record<string, string>): string {
  const tabs = EXAMPLES.map((example) => ({ query: example.query, variables: example.variables ? JSON.stringify(example.variables, null, 2) : undefined }));
  // JSON inside <script>: escape "<" so a query text can never close the script element.
  const json = (value: unknown) => JSON.stringify(value).replace(/</g, '\\u003c');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>OBTS GraphiQL (${mode})</title>
<link rel="stylesheet" href="/graphiql/assets/graphiql.css">
<style>body{margin:0;height:100vh;display:flex;flex-direction:column;font-family:sans-serif}
#banner{background:#1d3557;color:#fff;padding:6px 12px;font-size:14px}#graphiql{flex:1}</style>
</head>
<body>
<div id="banner">OBTS — ${mode} mode. Synthetic data only. Authorized, trained and certified users.</div>
<div id="graphiql">Loading GraphiQL…</div>
<script src="/graphiql/assets/react.js"></script>
<script src="/graphiql/assets/react-dom.js"></script>
<script src="/graphiql/assets/graphiql.js"></script>
<script>
  const fetcher = GraphiQL.createFetcher({ url: ${json(endpoint)}, headers: { 'apollo-require-preflight': 'true' } });
  const root = ReactDOM.createRoot(document.getElementById('graphiql'));
  root.render(React.createElement(GraphiQL, { fetcher, defaultTabs: ${json(tabs)}, defaultHeaders: ${json(JSON.stringify(headers, null, 2))}, headerEditorEnabled: true, shouldPersistHeaders: false, defaultEditorToolsVisibility: 'headers' }));
</script>
</body>
</html>`;
}

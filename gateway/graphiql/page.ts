// An offline GraphiQL page for development and training. Every asset comes from npm
// packages installed with the project (graphiql, react, react-dom, @graphiql/plugin-explorer)
// or from this folder (client.js): no CDN, so the page works on an air-gapped training network.
//
// Development mode hands the page a development token (a developer's own machine). Training
// mode hands out nothing: a trainee signs in with the code on the class sheet (training/),
// which POST /graphiql/sign-in exchanges for that trainee's token, or pastes a token; the
// page keeps it for the browser session. The banner shows who is signed in.
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import express from 'express';
import { EXAMPLES } from './examples.ts';
import type { GatewayConfig } from '../config.ts';
import { issueDevToken, loadDevKey } from '../auth/dev-key.ts';
import { PURPOSE_HEADER } from '../auth/verify.ts';
import { TRAINING_ROLE_HEADER } from '../auth/class-token.ts';
import { createRateLimiter } from '../limits/rate.ts';
import { redeemCode } from '../../training/roster.ts';
import type { LoadedLessons } from '../../training/lessons.ts';

const require = createRequire(import.meta.url);
const packageDir = (name: string) => path.dirname(require.resolve(`${name}/package.json`));
const here = path.dirname(fileURLToPath(import.meta.url));

/** Static assets under /graphiql/assets/. */
export function graphiqlAssets(): express.Router {
  const router = express.Router();
  const files: Record<string, string> = {
    'react.js': path.join(packageDir('react'), 'umd/react.production.min.js'),
    'react-dom.js': path.join(packageDir('react-dom'), 'umd/react-dom.production.min.js'),
    'graphiql.js': path.join(packageDir('graphiql'), 'graphiql.min.js'),
    'graphiql.css': path.join(packageDir('graphiql'), 'graphiql.min.css'),
    'explorer.js': path.join(packageDir('@graphiql/plugin-explorer'), 'dist/index.umd.js'),
    'explorer.css': path.join(packageDir('@graphiql/plugin-explorer'), 'dist/style.css'),
    'obts.js': path.join(here, 'client.js'),
    'obts.css': path.join(here, 'client.css'),
  };
  router.get('/:file', (req, res) => {
    // Own keys only: "__proto__" or "constructor" must be a 404, not an inherited value sent as a path (a 500).
    const file = Object.hasOwn(files, req.params.file) ? files[req.params.file] : undefined;
    if (!file) {
      res.status(404).type('text/plain').send('no such asset');
      return;
    }
    res.sendFile(file, { maxAge: '1h' });
  });
  return router;
}

/** What the page script (client.js) is told. */
export interface PageConfig {
  mode: string;
  endpoint: string;
  signInPath: string | null;
  /** Development only: "Bearer <token>" for the developer at this machine. */
  defaultAuthorization: string | null;
  /** True when every agency store carries the seeder's synthetic marker. */
  synthetic: boolean;
  purposeHeader: string;
  roleHeader: string;
  tabs: Array<{ query: string; variables?: string }>;
  lessons: Array<{ file: string; title: string; description: string; role: string; query: string; variables: string }>;
  lessonProblems: string[];
}

/** The page itself: the settings go in as JSON, client.js does the rest. */
export function graphiqlPage(config: PageConfig): string {
  // JSON inside <script>: escape "<" so a query text can never close the script element.
  const json = JSON.stringify(config).replace(/</g, '\\u003c');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>OBTS GraphiQL (${config.mode})</title>
<link rel="stylesheet" href="/graphiql/assets/graphiql.css">
<link rel="stylesheet" href="/graphiql/assets/explorer.css">
<link rel="stylesheet" href="/graphiql/assets/obts.css">
</head>
<body>
<div id="app">Loading GraphiQL…</div>
<script id="obts-config" type="application/json">${json}</script>
<script src="/graphiql/assets/react.js"></script>
<script src="/graphiql/assets/react-dom.js"></script>
<script src="/graphiql/assets/graphiql.js"></script>
<script src="/graphiql/assets/explorer.js"></script>
<script src="/graphiql/assets/obts.js"></script>
</body>
</html>`;
}

/** Mounts /graphiql, its assets and (training mode) the sign-in exchange on the app. */
export function mountGraphiql(app: express.Express, config: GatewayConfig, lessons: LoadedLessons, synthetic: () => Promise<boolean>): void {
  const training = config.mode === 'training';
  const lessonTabs = lessons.lessons.map((lesson) => ({ ...lesson, variables: JSON.stringify(lesson.variables, null, 2) }));
  const tabs = training
    ? lessonTabs.map((lesson) => ({ query: lesson.query, variables: lesson.variables }))
    : EXAMPLES.map((example) => ({ query: example.query, variables: example.variables ? JSON.stringify(example.variables, null, 2) : undefined }));
  app.use('/graphiql/assets', graphiqlAssets());
  app.get('/graphiql', async (_req, res, next) => {
    try {
      res.type('html').send(graphiqlPage({
        mode: config.mode, endpoint: '/graphql', signInPath: training ? '/graphiql/sign-in' : null,
        defaultAuthorization: training ? null : await developmentAuthorization(config), synthetic: await synthetic(),
        purposeHeader: PURPOSE_HEADER, roleHeader: TRAINING_ROLE_HEADER, tabs, lessons: lessonTabs, lessonProblems: lessons.problems,
      }));
    } catch (error) {
      next(error);
    }
  });
  app.get('/', (_req, res) => res.redirect('/graphiql'));
  if (!training) return;
  // Guessing codes is slowed per client address: 120 tries a minute, enough for a class
  // behind one NAT address signing in at once; 31^8 codes make guessing hopeless at that rate.
  const limit = createRateLimiter(120);
  app.post('/graphiql/sign-in', express.json({ limit: '1kb' }), (req, res) => {
    const refusal = limit(`sign-in:${req.socket.remoteAddress ?? 'unknown'}`);
    if (refusal) {
      res.setHeader('Retry-After', String(refusal.retryAfter));
      res.status(429).json({ error: `Too many sign-in attempts from this computer; retry after ${refusal.retryAfter} s` });
      return;
    }
    const code = typeof req.body?.code === 'string' ? req.body.code : '';
    const result = redeemCode(config.dataDir, code);
    if (!result.ok) res.status(result.status).json({ error: result.message });
    else res.json({ token: result.token });
  });
}

// Private: development mode's page carries a fresh 8-hour token for the developer at this
// machine (never in training or production: see mountGraphiql and config.ts); with a real
// identity provider the user pastes their own.
async function developmentAuthorization(config: GatewayConfig): Promise<string | null> {
  if (config.auth.jwksUrl || config.auth.jwksFile || config.mode !== 'development') return null;
  return 'Bearer ' + await issueDevToken(await loadDevKey(config.dataDir), {
    user: 'graphiql-developer', ori: 'CT0000000', roles: ['trainer'], purpose: 'C',
    certifiedUntil: new Date(Date.now() + 24 * 3600_000), issuer: config.auth.issuer, audience: config.auth.audience,
  });
}

// OBTS GraphiQL page script (served by gateway/graphiql/page.ts; plain browser JavaScript
// over the UMD builds of React, GraphiQL and the Explorer plugin). It keeps the user's token
// for the browser session (sessionStorage: survives a reload, not a closed browser), signs a
// trainee in with a class code, shows who is signed in, switches among the class's roles,
// lists the lessons, and resets everything the page stored on a shared classroom PC.
(function () {
  'use strict';
  var config = JSON.parse(document.getElementById('obts-config').textContent);
  var h = React.createElement;
  var TOKEN = 'obts.token';
  var ROLE = 'obts.role';
  var session = window.sessionStorage;

  function claimsOf(token) {
    try {
      var part = token.split('.')[1].replace(/-/g, '+').replace(/_/g, '/');
      return JSON.parse(decodeURIComponent(escape(atob(part))));
    } catch (error) {
      return null;
    }
  }
  function bareToken(text) {
    return String(text || '').trim().replace(/^bearer\s+/i, '');
  }
  function storedToken() {
    return session.getItem(TOKEN) || bareToken(config.defaultAuthorization);
  }
  function saveToken(token) {
    session.setItem(TOKEN, token);
    session.removeItem(ROLE);
  }
  function resetPage() {
    // Everything this page stored in this browser: GraphiQL's tabs, history and headers, the
    // token, the role. Cleared again once the page has reloaded (?reset), after GraphiQL's
    // last writes on the way out.
    window.localStorage.clear();
    window.sessionStorage.clear();
    window.location.replace(window.location.pathname + '?reset');
  }
  if (new URLSearchParams(window.location.search).has('reset')) {
    window.localStorage.clear();
    window.sessionStorage.clear();
    window.history.replaceState(null, '', window.location.pathname);
  }

  // A fresh browser: GraphiQL takes the first tab's query but not its variables, so the
  // first Run would fail ("Variable $sid … was not provided"); hand it both.
  var fresh = !window.localStorage.getItem('graphiql:tabState');
  var firstTab = config.tabs[0];

  function makeFetcher(token, role) {
    return function (params, options) {
      var headers = { 'content-type': 'application/json', 'apollo-require-preflight': 'true' };
      if (token) headers.authorization = 'Bearer ' + token;
      if (role) headers[config.roleHeader] = role;
      var edited = (options && options.headers) || {};
      Object.keys(edited).forEach(function (name) { headers[name.toLowerCase()] = edited[name]; });
      // A token pasted into the header editor is kept for the session, like one pasted in the banner.
      var pasted = bareToken(edited.Authorization || edited.authorization);
      if (pasted && pasted !== token && claimsOf(pasted)) {
        saveToken(pasted);
        setTimeout(render, 0);
      }
      return fetch(config.endpoint, { method: 'POST', headers: headers, body: JSON.stringify(params) }).then(function (response) {
        return response.json();
      });
    };
  }

  function formatExpiry(exp) {
    if (!exp) return 'no expiry';
    var minutes = Math.round((exp * 1000 - Date.now()) / 60000);
    var when = new Date(exp * 1000).toLocaleString();
    return minutes <= 0 ? 'EXPIRED ' + when : when + ' (in ' + (minutes >= 90 ? Math.round(minutes / 60) + ' h' : minutes + ' min') + ')';
  }

  function Banner(props) {
    var claims = props.claims;
    var pasteState = React.useState(false);
    var parts = [h('span', { key: 'mode' }, 'OBTS — ' + config.mode + ' mode'),
      h('span', { key: 'data', className: config.synthetic ? 'data' : 'data unmarked' }, config.synthetic ? 'Synthetic data only (seeded stores)' : 'Stores NOT marked synthetic: treat as real CJI')];
    if (claims) {
      var training = claims.training || null;
      var roles = props.role ? [props.role] : (claims.roles || []);
      parts.push(h('span', { key: 'who', className: 'who', id: 'obts-identity' },
        'User ', h('b', { 'data-field': 'user' }, training && training.name ? training.name + ' (' + claims.sub + ')' : claims.sub),
        ' · Role ', h('b', { 'data-field': 'roles' }, roles.join(', ')),
        ' · ORI ', h('b', { 'data-field': 'ori' }, claims.ori),
        ' · Purpose ', h('b', { 'data-field': 'purpose' }, claims.purpose || 'C'),
        ' · Expires ', h('b', { 'data-field': 'expires' }, formatExpiry(claims.exp)),
        training ? ' · Class ' + training.class : ''));
      if (training && training.roles && training.roles.length > 1) {
        parts.push(h('label', { key: 'picker' }, 'Act as ', h('select', {
          id: 'obts-role', value: props.role || claims.roles[0],
          onChange: function (event) { session.setItem(ROLE, event.target.value); render(); },
        }, training.roles.map(function (role) { return h('option', { key: role, value: role }, role); }))));
      }
    } else if (props.token) {
      parts.push(h('span', { key: 'bad', className: 'error' }, 'The token in use cannot be read; paste another or reset'));
    }
    parts.push(h('span', { key: 'spacer', className: 'spacer' }));
    // The buttons stay together at the right end, wrapping as one.
    parts.push(h('span', { key: 'actions', className: 'actions' },
      pasteState[0]
        ? h(PasteToken, { onDone: function () { pasteState[1](false); } })
        : h('button', { id: 'obts-paste', onClick: function () { pasteState[1](true); } }, 'Paste a token'),
      h('button', { id: 'obts-reset', title: 'Clear tabs, history, headers and token stored by this page in this browser', onClick: resetPage }, 'Reset this PC')));
    return h('div', { id: 'banner' }, parts);
  }

  function PasteToken(props) {
    var textState = React.useState('');
    var errorState = React.useState('');
    function use() {
      var token = bareToken(textState[0]);
      if (!claimsOf(token)) return errorState[1]('Expected a JWT: three base64url parts separated by dots');
      saveToken(token);
      props.onDone();
      render();
    }
    return h('span', { className: 'obts-paste' },
      h('textarea', { id: 'obts-token-input', placeholder: 'eyJ…', value: textState[0], onChange: function (event) { textState[1](event.target.value); } }),
      h('button', { id: 'obts-token-use', onClick: use }, 'Use token'),
      h('button', { onClick: props.onDone }, 'Cancel'),
      errorState[0] ? h('span', { className: 'error' }, errorState[0]) : null);
  }

  function SignIn() {
    var codeState = React.useState(new URLSearchParams(window.location.search).get('code') || '');
    var errorState = React.useState('');
    function submit(event) {
      if (event) event.preventDefault();
      errorState[1]('');
      fetch(config.signInPath, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ code: codeState[0] }) })
        .then(function (response) { return response.json(); })
        .then(function (body) {
          if (!body.token) return errorState[1](body.error || 'Sign-in failed');
          saveToken(body.token);
          window.history.replaceState(null, '', window.location.pathname);
          render();
        }, function () { errorState[1]('The gateway did not answer; check the address and try again'); });
    }
    React.useEffect(function () { if (codeState[0]) submit(); }, []);
    return h('form', { className: 'obts-signin', onSubmit: submit },
      h('h2', null, 'OBTS training — sign in'),
      h('p', null, 'Type the sign-in code from your class sheet (e.g. K7QF-M2XD), or paste a token with the button above.'),
      h('input', { id: 'obts-code', value: codeState[0], autoFocus: true, onChange: function (event) { codeState[1](event.target.value); } }),
      ' ', h('button', { id: 'obts-sign-in', type: 'submit' }, 'Sign in'),
      errorState[0] ? h('p', { className: 'error', id: 'obts-sign-in-error' }, errorState[0]) : null);
  }

  function LessonsPanel() {
    var editor = GraphiQL.React.useEditorContext({ nonNull: true });
    function open(lesson) {
      var claims = claimsOf(storedToken());
      var classRoles = (claims && claims.training && claims.training.roles) || [];
      if (classRoles.indexOf(lesson.role) >= 0) { session.setItem(ROLE, lesson.role); render(); }
      var index = editor.tabs.findIndex(function (tab) { return tab.query === lesson.query; });
      if (index >= 0) return editor.changeTab(index);
      editor.addTab();
      setTimeout(function () {
        if (editor.queryEditor) editor.queryEditor.setValue(lesson.query);
        if (editor.variableEditor) editor.variableEditor.setValue(lesson.variables);
      }, 0);
    }
    return h('div', { className: 'obts-lessons' },
      h('div', { className: 'graphiql-doc-explorer-title' }, 'Lessons'),
      config.lessonProblems.length ? h('div', { className: 'problems' }, 'Left out: ' + config.lessonProblems.join('; ')) : null,
      h('ul', { style: { padding: 0 } }, config.lessons.map(function (lesson) {
        return h('li', { key: lesson.file },
          h('b', null, lesson.title), h('div', { className: 'role' }, 'For ' + lesson.role + ' · ' + lesson.file),
          h('p', null, lesson.description),
          h('button', { className: 'obts-open-lesson', onClick: function () { open(lesson); } }, 'Open'));
      })));
  }
  var lessonsPlugin = {
    title: 'Lessons',
    icon: function () { return h('span', { style: { fontWeight: 700, fontSize: 16 } }, 'L'); },
    content: function () { return h(LessonsPanel); },
  };
  var explorer = GraphiQLPluginExplorer.explorerPlugin({ showAttribution: false });

  var fetcherCache = { key: null, fetcher: null };
  function fetcherFor(token, role) {
    var key = token + '|' + role;
    if (fetcherCache.key !== key) fetcherCache = { key: key, fetcher: makeFetcher(token, role) };
    return fetcherCache.fetcher;
  }

  function App() {
    var token = storedToken();
    var claims = token ? claimsOf(token) : null;
    var role = session.getItem(ROLE) || '';
    var allowed = claims && claims.training && claims.training.roles ? claims.training.roles : [];
    if (allowed.indexOf(role) < 0) role = '';
    var signedIn = Boolean(claims);
    var graphiqlProps = {
      fetcher: fetcherFor(token, role), defaultTabs: config.tabs, plugins: [lessonsPlugin, explorer],
      defaultHeaders: JSON.stringify({ [config.purposeHeader]: 'C' }, null, 2), headerEditorEnabled: true,
      shouldPersistHeaders: false, defaultEditorToolsVisibility: 'variables',
    };
    if (fresh && firstTab) {
      graphiqlProps.query = firstTab.query;
      graphiqlProps.variables = firstTab.variables || '';
    }
    return h(React.Fragment, null,
      h(Banner, { claims: claims, token: token, role: role }),
      signedIn || !config.signInPath
        ? h('div', { className: 'obts-graphiql' }, h(GraphiQL, graphiqlProps))
        : h(SignIn));
  }

  var root = ReactDOM.createRoot(document.getElementById('app'));
  function render() { root.render(h(App)); }
  render();
})();

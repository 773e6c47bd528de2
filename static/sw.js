/* pdplanner's service worker: the pages a person opened are read offline (network first, the
   device's copy when there is no network), and the quick actions sent without a connection are
   kept on the device and sent when it returns. */
importScripts('/static/queue.js');

const SHELL = 'pd-shell-v1';
const PAGES = 'pd-pages-';  // + the person's id: one person's pages at a time
const META = '/__pd/meta';  // who was signed in last, and in which language
const SHELL_FILES = ['/static/app.css', '/static/app.js', '/static/queue.js',
  '/static/favicon.svg', '/static/icons/icon.svg', '/offline?lang=en', '/offline?lang=fr'];
const READABLE = [/^\/$/, /^\/plan$/, /^\/goals$/, /^\/goals\/\d+$/, /^\/sessions$/,
  /^\/sessions\/\d+$/, /^\/occurrences\/\d+(\/reflection)?$/];
const ACTIONS = [/^\/occurrences\/\d+(\/quick\/(done|missed)|\/reflection)?$/,
  /^\/goals\/\d+\/checkins$/];

self.addEventListener('install', event => event.waitUntil(
  caches.open(SHELL)
    .then(cache => cache.addAll(SHELL_FILES.map(url => new Request(url, {credentials: 'omit'}))))
    .then(() => self.skipWaiting())));

self.addEventListener('activate', event => event.waitUntil(
  self.clients.claim().then(keepOpenPages)));

/* The page that installed the app was loaded before it: keep a copy of it now. */
async function keepOpenPages() {
  for (const client of await self.clients.matchAll({type: 'window'})) {
    const url = new URL(client.url);
    if (!READABLE.some(path => path.test(url.pathname))) continue;
    await fetch(url.pathname + url.search, {credentials: 'same-origin'})
      .then(response => remember(response, url)).catch(() => {});
  }
}

self.addEventListener('fetch', event => {
  const request = event.request, url = new URL(request.url);
  if (url.origin !== location.origin) return;
  if (request.method === 'POST' && ACTIONS.some(path => path.test(url.pathname))) {
    event.respondWith(postOrKeep(request, url));
  } else if (request.method === 'GET' && request.mode === 'navigate') {
    event.respondWith(page(request, url));
  } else if (request.method === 'GET' && url.pathname.startsWith('/static/')) {
    event.respondWith(asset(request, event));
  }
});

/* Background sync: an open page sends (it shows the outcome); with none open, send here. */
self.addEventListener('sync', event => {
  if (event.tag !== 'pd-send') return;
  event.waitUntil(self.clients.matchAll({type: 'window'}).then(pages => {
    if (!pages.length) return pdQueue.send();
    pages.forEach(client => client.postMessage('send'));
  }));
});

async function readMeta() {
  const saved = await (await caches.open(SHELL)).match(META);
  return saved ? saved.json() : {user: '', lang: 'en'};
}

async function writeMeta(meta) {
  await (await caches.open(SHELL)).put(META, new Response(JSON.stringify(meta)));
}

/* Keep a fresh copy of a page the person may want offline; forget another person's pages. */
async function remember(response, url) {
  if (!(response.headers.get('Content-Type') || '').startsWith('text/html')) return;
  const user = response.headers.get('X-Pdplanner-User') || '';
  const lang = response.headers.get('Content-Language') || 'en';
  const meta = await readMeta();
  if (user !== meta.user || lang !== meta.lang) {
    const names = await caches.keys();
    await Promise.all(names.filter(name => name.startsWith(PAGES) && name !== PAGES + user)
      .map(name => caches.delete(name)));
    await writeMeta({user, lang});
  }
  if (!user || response.status !== 200 || !READABLE.some(path => path.test(url.pathname))) return;
  const headers = new Headers(response.headers);
  headers.set('X-Saved-At', new Date().toISOString());
  const copy = new Response(await response.blob(), {status: 200, headers});
  await (await caches.open(PAGES + user)).put(url.pathname + url.search, copy);
}

async function page(request, url) {
  try {
    const response = await fetch(request);
    await remember(response.clone(), url).catch(() => {});
    return response;
  } catch (error) {
    const meta = await readMeta();
    const saved = meta.user && await (await caches.open(PAGES + meta.user))
      .match(url.pathname + url.search, {ignoreVary: true});
    if (saved) return stamped(saved);
    return (await caches.match(`/offline?lang=${meta.lang}`, {ignoreVary: true}))
      || Response.error();
  }
}

/* Show the device's copy of a page with the notice that says when it was last updated. */
async function stamped(saved) {
  const at = new Date(saved.headers.get('X-Saved-At'));
  const when = new Intl.DateTimeFormat(saved.headers.get('Content-Language') || 'en',
    {dateStyle: 'medium', timeStyle: 'short'}).format(at);
  const html = (await saved.text())
    .replace(/(id="offline-notice"[^>]*?) hidden>/, '$1>')
    .replace('<time id="offline-saved"></time>',
             `<time id="offline-saved" datetime="${at.toISOString()}">${when}</time>`);
  return new Response(html, {status: 200, headers: saved.headers});
}

/* The device's copy of a file at once; a fresh one fetched meanwhile for next time. */
async function asset(request, event) {
  const cache = await caches.open(SHELL);
  const saved = await cache.match(request, {ignoreVary: true});
  const fresh = fetch(request).then(response => {
    if (response.ok) return cache.put(request, response.clone()).then(() => response);
    return response;
  });
  if (!saved) return fresh;
  event.waitUntil(fresh.catch(() => {}));
  return saved;
}

/* Send a quick action; without a connection keep it on the device and go back to the page. */
async function postOrKeep(request, url) {
  const copy = request.clone();
  try {
    return await fetch(request);
  } catch (error) {
    const fields = {};
    for (const [name, value] of await copy.formData()) {
      if (name !== 'csrf_token' && name !== 'token') fields[name] = value;
    }
    const meta = await readMeta();
    await pdQueue.keep(meta.user, url.pathname, fields);
    if (self.registration.sync) self.registration.sync.register('pd-send').catch(() => {});
    const back = (fields.next || '').startsWith('/') && !fields.next.startsWith('//')
      ? fields.next : new URL(request.referrer || '/', location.href).pathname;
    return Response.redirect(back, 303);
  }
}

/* The actions taken offline, kept in IndexedDB until the server has them; shared by the pages
   and the service worker. Each action has a key of its own: sent twice, it is recorded once. */
self.pdQueue = (() => {
  const open = () => new Promise((resolve, reject) => {
    const request = indexedDB.open('pdplanner', 1);
    request.onupgradeneeded = () => request.result.createObjectStore('actions', {keyPath: 'key'});
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
  const run = async (mode, work) => {
    const db = await open();
    return new Promise((resolve, reject) => {
      const tx = db.transaction('actions', mode), request = work(tx.objectStore('actions'));
      tx.oncomplete = () => { db.close(); resolve(request.result); };
      tx.onerror = tx.onabort = () => { db.close(); reject(tx.error); };
    });
  };
  const all = () => run('readonly', store => store.getAll());
  const put = action => run('readwrite', store => store.put(action));
  const drop = key => run('readwrite', store => store.delete(key));
  const clear = () => run('readwrite', store => store.clear());

  /* Keep a form sent without a connection; a second one from the same form replaces it. */
  async function keep(user, path, fields) {
    for (const old of await all()) {
      if (old.user === user && old.path === path && old.state === 'waiting') await drop(old.key);
    }
    const label = fields.offline_label || path;
    delete fields.offline_label;
    await put({key: crypto.randomUUID(), user, path, fields, label, state: 'waiting',
               at: new Date().toISOString()});
  }

  /* Send what waits, as the person signed in now; another person's actions are never sent. */
  async function sendAll() {
    const waiting = (await all()).filter(action => action.state === 'waiting');
    if (!waiting.length) return {sent: 0};
    let me;
    try {
      me = await (await fetch('/offline/state', {credentials: 'same-origin'})).json();
    } catch (error) {
      return {sent: 0, offline: true};
    }
    if (!me.user) return {sent: 0, signedOut: true};
    let sent = 0;
    for (const action of waiting) {
      if (action.user !== String(me.user)) { await drop(action.key); continue; }
      let response;
      try {
        response = await fetch('/offline/actions', {
          method: 'POST', credentials: 'same-origin',
          headers: {'Content-Type': 'application/json', 'X-CSRFToken': me.csrf},
          body: JSON.stringify({key: action.key, user: action.user, path: action.path,
                                fields: action.fields})});
      } catch (error) {
        return {sent, offline: true};  // the connection dropped: the same key goes again later
      }
      const answer = await response.json().catch(() => ({}));
      if (response.ok) {
        await drop(action.key);
        sent += 1;
      } else if ([404, 409, 422].includes(response.status)) {
        await put({...action, state: 'refused', message: answer.message || ''});
      } else {
        return {sent, failed: response.status};
      }
    }
    return {sent};
  }
  let sending = null;
  const send = () => (sending = sending || sendAll().finally(() => { sending = null; }));
  return {all, drop, clear, keep, send};
})();

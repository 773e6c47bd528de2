/* Progressive enhancement: install the app's service worker, show and send what waits on
   this device, and clear the device at sign-out. Every page works without it. */
(() => {
  const me = document.querySelector('meta[name="pdplanner-user"]')?.content || '';
  const panel = document.getElementById('device-queue');
  const status = panel?.querySelector('[data-queue-status]');

  async function show() {
    if (!panel || !self.pdQueue) return;
    const mine = (await pdQueue.all()).filter(action => action.user === me);
    const list = panel.querySelector('ul');
    list.replaceChildren(...mine.map(action => {
      const item = document.createElement('li'), state = document.createElement('span');
      item.append(action.label + ' — ');
      state.textContent = action.state === 'refused'
        ? `${panel.dataset.refused}: ${action.message}` : panel.dataset.waiting;
      state.className = action.state;
      item.append(state);
      if (action.state === 'refused') {
        const dismiss = document.createElement('button');
        dismiss.type = 'button';
        dismiss.className = 'link';
        dismiss.textContent = panel.dataset.dismiss;
        dismiss.addEventListener('click', () => pdQueue.drop(action.key).then(show));
        item.append(' ', dismiss);
      }
      return item;
    }));
    // The date or goal a waiting action is about says so where it is listed, too.
    for (const action of mine.filter(a => a.state === 'waiting')) {
      const item = document.querySelector(`main form[action="${action.path}"]`)?.closest('li');
      if (!item || item.querySelector('.badge.waiting')) continue;
      const badge = document.createElement('span');
      badge.className = 'badge waiting';
      badge.textContent = panel.dataset.waiting;
      item.querySelector('.what')?.append(' ', badge);
    }
    panel.hidden = !mine.length && !status.textContent;
    panel.querySelector('[data-send-now]').hidden = !mine.some(a => a.state === 'waiting');
  }

  async function send() {
    if (!me || !self.pdQueue) return;
    if (navigator.onLine) {
      const result = await pdQueue.send();
      if (result.sent) status.textContent = panel.dataset.sent;
    }
    await show();
  }

  async function clearDevice() {
    const names = await caches.keys();
    await Promise.all(names.filter(name => name.startsWith('pd-pages-'))
      .map(name => caches.delete(name)));
    await pdQueue.clear();
  }

  for (const form of document.querySelectorAll('form[data-sign-out]')) {
    form.addEventListener('submit', event => {
      event.preventDefault();
      clearDevice().catch(() => {}).finally(() => form.submit());
    });
  }
  panel?.querySelector('[data-send-now]').addEventListener('click', send);
  window.addEventListener('online', send);
  if ('serviceWorker' in navigator) {
    navigator.serviceWorker.register('/sw.js', {scope: '/'}).catch(() => {});
    navigator.serviceWorker.addEventListener('message', event => {
      if (event.data === 'send') send();
    });
  }
  send();
})();

/* global window, document, localStorage, location, URLSearchParams, EventSource, setTimeout, clearTimeout, setInterval */
/*
 * The playground page: picks who you act as, lists their conversations, shows messages and threads,
 * sends /mltrl commands and button clicks to /playground/api, moves the clock and listens to
 * Server-Sent Events. All text goes into the DOM through textContent (see render-blocks.js).
 */
(function () {
  'use strict';
  var R = window.MltrlRender;
  var K = window.MltrlKit;
  var api = K.api;
  var toDom = K.toDom;
  var fill = K.fill;
  var state = {
    strings: {},
    people: [],
    me: null,
    conversations: [],
    current: null,
    thread: null,
    clock: null,
    /** Playground clock minus this browser's clock, so the header keeps ticking between server answers. */
    clockSkewMs: 0,
    unread: {},
    /** The README's walk-through start ({ personId, project }) when people.yaml and the cards have it. */
    walkthrough: undefined,
  };
  var $ = function (id) {
    return document.getElementById(id);
  };

  // ?lang=ja, else the language the server wrote the page in (its DEFAULT_LOCALE).
  var LANG = new URLSearchParams(location.search).get('lang') || document.documentElement.lang || 'en';

  function s(key, params) {
    return fill(state.strings[key] || key, params || {});
  }
  function plural(key, count) {
    var form = new Intl.PluralRules(LANG).select(count) === 'one' ? '_one' : '_other';
    return s(key + form, { count: count });
  }

  function person(id) {
    return state.people.find(function (p) {
      return p.id === id;
    });
  }
  function tz() {
    var me = person(state.me);
    return (me && me.tz) || (state.clock && state.clock.tz) || 'UTC';
  }
  function formatClock(iso) {
    return K.formatClock(iso, tz());
  }
  function formatTime(iso) {
    return K.formatTime(iso, tz(), state.clock && clockNow());
  }
  /** "Now" on the playground clock: the last time the server named, moved on by the time passed since. */
  function clockNow() {
    return new Date(Date.now() + state.clockSkewMs).toISOString();
  }
  var ctx = {
    nameOf: function (id) {
      var p = person(id);
      return p ? p.name : id;
    },
    formatTime: formatTime,
    plural: plural,
    get strings() {
      return state.strings;
    },
  };

  function conversation(id) {
    return state.conversations.find(function (c) {
      return c.id === id;
    });
  }

  var HOME = 'home';
  function renderSidebar() {
    var lists = { home: [{ id: HOME, name: s('home') }], channel: [], dm: [] };
    state.conversations.forEach(function (c) {
      lists[c.kind].push(c);
    });
    [
      ['home-list', 'home'],
      ['channel-list', 'channel'],
      ['dm-list', 'dm'],
    ].forEach(function (pair) {
      K.renderConversationList($(pair[0]), lists[pair[1]], state.current, state.unread, s('newActivity'));
    });
  }

  /** Home: what waits on the acting person, their projects, the portfolio (read-only, like App Home). */
  /**
   * Loads overlap (switching person or conversation, Home, reloads after live events): only the newest one
   * may render, or an older answer arriving late would put the previous view back under the reader's
   * cursor (a button clicked on it vanishes).
   */
  var loadSeq = 0;

  async function loadHome(seq) {
    $('channel-title').textContent = s('home');
    var data = await api('GET', '/home?as=' + encodeURIComponent(state.me));
    if (seq !== loadSeq) return;
    var view = { id: HOME, postedAt: clockNow(), version: 1, message: data.message, replies: [] };
    state.messages = [];
    replaceKeepingFocus($('message-list'), [toDom(R.renderMessage(view, ctx))]);
    renderThread();
  }

  var announcer = K.createAnnouncer(function (text) {
    $('announcer').textContent = text;
  });
  function announceNew(messages) {
    announcer(state.current + '|' + state.me, messages);
  }
  var replaceKeepingFocus = K.replaceKeepingFocus;

  async function loadMessages() {
    if (!state.current || !state.me) return;
    var seq = ++loadSeq;
    $('composer').hidden = state.current === HOME;
    if (state.current === HOME) return loadHome(seq);
    var c = conversation(state.current);
    $('channel-title').textContent = c ? c.name : state.current;
    $('composer-label').textContent = s('composerLabel', { name: c ? c.name : '' });
    var data = await api(
      'GET',
      '/conversations/' + encodeURIComponent(state.current) + '/messages?as=' + encodeURIComponent(state.me),
    );
    if (seq !== loadSeq) return;
    announceNew(data.messages);
    state.messages = data.messages;
    var nodes = data.messages.map(function (m) {
      return toDom(R.renderMessage(m, ctx));
    });
    if (nodes.length === 0) {
      var empty = document.createElement('p');
      empty.className = 'empty';
      empty.textContent = s('noMessages');
      nodes = [empty];
    }
    replaceKeepingFocus($('message-list'), nodes);
    renderThread();
  }

  function renderThread() {
    var panel = $('thread-panel');
    var parent =
      state.thread &&
      (state.messages || []).find(function (m) {
        return m.id === state.thread;
      });
    if (!parent) {
      panel.hidden = true;
      return;
    }
    panel.hidden = false;
    var nodes = [toDom(R.renderMessage(parent, ctx, { inThread: true }))].concat(
      parent.replies.map(function (reply) {
        return toDom(R.renderMessage(reply, ctx, { inThread: true }));
      }),
    );
    replaceKeepingFocus($('thread-messages'), nodes);
  }

  async function selectConversation(id) {
    state.current = id;
    state.thread = null;
    delete state.unread[id];
    renderSidebar();
    await loadMessages();
  }

  async function actAs(id) {
    state.me = id;
    localStorage.setItem('mltrl-playground-as', id);
    state.conversations = (await api('GET', '/conversations?as=' + encodeURIComponent(id))).conversations;
    state.unread = {};
    if (state.current !== HOME && !conversation(state.current)) state.current = state.conversations[0].id;
    renderSidebar();
    renderClock();
    await loadMessages();
  }

  function setClock(clock) {
    state.clock = clock;
    state.clockSkewMs = Date.parse(clock.now) - Date.now();
    renderClock();
  }
  /** Writes the header clock; called every second, it changes the text only when the minute turns. */
  function renderClock() {
    if (!state.clock) return;
    var now = clockNow();
    var text = formatClock(now);
    if ($('clock-now').textContent !== text) {
      $('clock-now').textContent = text;
      $('clock-now').setAttribute('datetime', now.slice(0, 16) + 'Z');
    }
  }
  async function refreshClock() {
    setClock(await api('GET', '/clock'));
  }

  function showError(where, error) {
    $(where).textContent = error ? error.message || String(error) : '';
  }

  async function sendCommand(input, errorId, threadId) {
    var text = input.value.trim();
    if (!text) return;
    showError(errorId, null);
    try {
      await api('POST', '/conversations/' + encodeURIComponent(state.current) + '/commands', {
        as: state.me,
        text: text,
        threadId: threadId || undefined,
      });
      input.value = '';
      await loadMessages();
    } catch (error) {
      showError(errorId, error);
    }
  }

  async function sendAction(messageId, actionId, value, reason) {
    var errorId = state.thread ? 'thread-error' : 'composer-error';
    showError(errorId, null);
    try {
      await api('POST', '/messages/' + encodeURIComponent(messageId) + '/actions', {
        as: state.me,
        actionId: actionId,
        value: value,
        reason: reason,
      });
      await loadMessages();
    } catch (error) {
      showError(errorId, error);
    }
  }

  var pending = null;
  function askReason(action) {
    pending = action;
    $('reason-input').value = '';
    showError('reason-error', null);
    $('reason-dialog').showModal();
    $('reason-input').focus();
  }

  function onActivate(event) {
    var target = event.target.closest('button');
    if (!target) return;
    if (target.dataset.openThread) {
      // The thread panel narrows the channel, so its text re-wraps: keep the newest message in view.
      var list = $('message-list');
      var atBottom = list.scrollHeight - list.scrollTop - list.clientHeight < 80;
      state.thread = target.dataset.openThread;
      renderThread();
      if (atBottom) list.scrollTop = list.scrollHeight;
      $('thread-input').focus();
    } else if (target.dataset.actionId) {
      var action = {
        messageId: target.dataset.messageId,
        actionId: target.dataset.actionId,
        value: target.dataset.value,
      };
      if (target.dataset.asksReason) askReason(Object.assign(action, { required: true }));
      else sendAction(action.messageId, action.actionId, action.value);
    }
  }
  function onSelect(event) {
    var select = event.target;
    if (!select.matches('select.action-select') || !select.value) return;
    askReason({
      messageId: select.dataset.messageId,
      actionId: select.dataset.actionId,
      value: select.value,
      required: false,
    });
  }

  var reloadTimer = null;
  function scheduleReload() {
    clearTimeout(reloadTimer);
    reloadTimer = setTimeout(loadMessages, 60);
  }
  function listen() {
    var source = new EventSource(K.API + '/events');
    source.onopen = function () {
      $('live-status').textContent = s('live');
      $('live-status').classList.add('live');
    };
    source.onerror = function () {
      $('live-status').textContent = s('offline');
      $('live-status').classList.remove('live');
    };
    source.onmessage = function (event) {
      var change = JSON.parse(event.data);
      if (change.type === 'reset') {
        // Everything is gone, on every open page: start over, first-run hint included.
        localStorage.removeItem(HINT_SEEN);
        location.reload();
        return;
      }
      if (change.type === 'clock') {
        setClock(Object.assign({}, state.clock, { now: change.now }));
        return;
      }
      if (change.visibleTo && change.visibleTo !== state.me) return;
      if (change.conversationId === state.current || state.current === HOME) scheduleReload();
      else if (conversation(change.conversationId)) {
        state.unread[change.conversationId] = true;
        renderSidebar();
      }
    };
  }

  function wire() {
    $('acting-as').addEventListener('change', function (event) {
      actAs(event.target.value);
    });
    document.querySelector('.sidebar').addEventListener('click', function (event) {
      var button = event.target.closest('button[data-conversation]');
      if (button) selectConversation(button.dataset.conversation);
    });
    document.querySelectorAll('[data-advance]').forEach(function (button) {
      button.addEventListener('click', async function () {
        button.disabled = true;
        try {
          setClock(await api('POST', '/clock/advance', { hours: Number(button.dataset.advance) }));
          await loadMessages();
        } catch (error) {
          showError('composer-error', error);
        } finally {
          button.disabled = false;
        }
      });
    });
    ['message-list', 'thread-messages'].forEach(function (id) {
      $(id).addEventListener('click', onActivate);
      $(id).addEventListener('change', onSelect);
    });
    $('composer').addEventListener('submit', function (event) {
      event.preventDefault();
      sendCommand($('composer-input'), 'composer-error');
    });
    $('thread-composer').addEventListener('submit', function (event) {
      event.preventDefault();
      sendCommand($('thread-input'), 'thread-error', state.thread);
    });
    $('reset').addEventListener('click', function () {
      showError('reset-error', null);
      $('reset-dialog').showModal();
      $('reset-cancel').focus();
    });
    $('reset-cancel').addEventListener('click', function () {
      $('reset-dialog').close();
    });
    $('reset-form').addEventListener('submit', async function (event) {
      event.preventDefault();
      $('reset-confirm').disabled = true;
      try {
        await api('POST', '/reset', { confirm: true });
        localStorage.removeItem(HINT_SEEN);
        location.reload();
      } catch (error) {
        showError('reset-error', error);
      } finally {
        $('reset-confirm').disabled = false;
      }
    });
    $('first-run-dismiss').addEventListener('click', function () {
      dismissFirstRunHint();
      $('composer-input').focus();
    });
    $('close-thread').addEventListener('click', function () {
      state.thread = null;
      renderThread();
      $('composer-input').focus();
    });
    $('reason-cancel').addEventListener('click', function () {
      pending = null;
      $('reason-dialog').close();
    });
    $('reason-form').addEventListener('submit', function (event) {
      var reason = $('reason-input').value.trim();
      if (pending && pending.required && !reason) {
        event.preventDefault();
        showError('reason-error', new Error(s('reasonRequired')));
        return;
      }
      var action = pending;
      pending = null;
      if (action) sendAction(action.messageId, action.actionId, action.value, reason || undefined);
    });
    document.addEventListener('keydown', function (event) {
      if (event.key === 'Escape' && !$('reason-dialog').open && !$('reset-dialog').open && state.thread) {
        state.thread = null;
        renderThread();
        $('composer-input').focus();
      }
    });
  }

  /**
   * First visit in this browser: a short hint naming a real owner from people.yaml and their project, with
   * a button that sets the first step up (act as them in the first channel, the review command typed in).
   */
  var HINT_SEEN = 'mltrl-playground-hint-seen';
  function showFirstRunHint() {
    if (localStorage.getItem(HINT_SEEN)) return;
    // The README's walk-through (Sam and R07.2) when this playground has it, else the first owner found.
    var walk = state.walkthrough;
    var owner = walk
      ? person(walk.personId)
      : state.people.find(function (p) {
          return p.owns && p.owns.length > 0;
        });
    var project = owner && (walk ? walk.project : owner.owns[0]);
    var text = owner ? s('firstRunSteps', { name: owner.name, project: project }) : s('firstRunGeneric');
    $('first-run-text').textContent = text;
    var start = $('first-run-start');
    start.hidden = !owner;
    if (owner) {
      start.textContent = s('firstRunStart', { name: owner.name });
      start.onclick = async function () {
        dismissFirstRunHint();
        $('acting-as').value = owner.id;
        await actAs(owner.id);
        var channel = state.conversations.find(function (c) {
          return c.kind === 'channel';
        });
        if (channel) await selectConversation(channel.id);
        $('composer-input').value = '/mltrl review ' + project;
        $('composer-input').focus();
      };
    }
    $('first-run').hidden = false;
  }
  function dismissFirstRunHint() {
    localStorage.setItem(HINT_SEEN, '1');
    $('first-run').hidden = true;
  }

  function applyStrings() {
    document.title = s('title');
    document.querySelectorAll('[data-i18n]').forEach(function (element) {
      element.textContent = s(element.dataset.i18n);
    });
    var steps = { 1: 'plusHour', 24: 'plusDay', 168: 'plusWeek' };
    document.querySelectorAll('[data-advance]').forEach(function (button) {
      var label = s(steps[button.dataset.advance]);
      button.textContent = label;
      button.setAttribute('aria-label', s('advanceLabel', { step: label.replace(/^\+/, '') }));
    });
    $('composer-input').placeholder = s('composerPlaceholder');
    document.querySelector('.sidebar').setAttribute('aria-label', s('conversations'));
  }

  async function start() {
    // ?lang=ja shows the page in that language (catalog strings, dates as Intl writes them there).
    document.documentElement.lang = LANG;
    K.setLocale(LANG);
    state.strings = (await api('GET', '/strings?locale=' + encodeURIComponent(LANG))).strings;
    applyStrings();
    var directory = await api('GET', '/people');
    state.people = directory.people;
    state.walkthrough = directory.walkthrough;
    var picker = $('acting-as');
    state.people.forEach(function (p) {
      var option = document.createElement('option');
      option.value = p.id;
      option.textContent = p.name + ' (' + p.label + ')';
      picker.appendChild(option);
    });
    var wanted =
      new URLSearchParams(location.search).get('as') || localStorage.getItem('mltrl-playground-as');
    var initial = person(wanted) ? wanted : state.people[0] && state.people[0].id;
    picker.value = initial;
    wire();
    await refreshClock();
    // The header clock ticks: the minute turns on the playground clock without a server round trip.
    setInterval(renderClock, 1000);
    listen();
    if (initial) await actAs(initial);
    showFirstRunHint();
    await openLinked();
  }

  /** A link from a decision record (?conversation=…&thread=…) opens that conversation and thread. */
  async function openLinked() {
    var params = new URLSearchParams(location.search);
    var linked = params.get('conversation');
    if (!linked || !conversation(linked)) return;
    await selectConversation(linked);
    if (params.get('thread')) {
      state.thread = params.get('thread');
      renderThread();
    }
  }

  start().catch(function (error) {
    showError('composer-error', error);
  });
})();

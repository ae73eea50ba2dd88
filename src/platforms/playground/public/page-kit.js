/* global window, document, fetch, CSS */
/*
 * Small helpers for the playground page: the JSON API client, tree -> DOM (text only through text
 * nodes), template filling and clock formatting in a given time zone. Exposed as window.MltrlKit.
 */
(function (root) {
  'use strict';
  var API = '/playground/api';

  function fill(template, params) {
    return String(template || '').replace(/\{\{(\w+)\}\}/g, function (_m, key) {
      return params[key] !== undefined ? String(params[key]) : '';
    });
  }

  /** Calls the API; a refusal becomes an Error carrying the server's one-line message. */
  async function api(method, path, body) {
    var response = await fetch(API + path, {
      method: method,
      headers: body ? { 'Content-Type': 'application/json' } : {},
      body: body ? JSON.stringify(body) : undefined,
    });
    var data = await response.json().catch(function () {
      return {};
    });
    if (!response.ok)
      throw new Error((data.error && data.error.message) || response.status + ' ' + response.statusText);
    return data;
  }

  function toDom(node) {
    if (typeof node === 'string') return document.createTextNode(node);
    var element = document.createElement(node.tag);
    Object.keys(node.attrs).forEach(function (key) {
      element.setAttribute(key, node.attrs[key]);
    });
    node.children.forEach(function (child) {
      element.appendChild(toDom(child));
    });
    return element;
  }

  // The page's language (?lang=ja): English keeps the bot's "Tue 26 Nov 09:14"; others write as Intl does.
  var locale = 'en';
  function setLocale(tag) {
    locale = tag || 'en';
  }
  function english() {
    return /^en\b/i.test(locale);
  }
  // A locale whose people read a 12-hour clock (en-US) gets it, as in the bot's messages; plain "en"
  // keeps the bot's 24 hours.
  function twelveHour() {
    if (/^en$/i.test(locale)) return false;
    try {
      var cycle = new Intl.DateTimeFormat(locale, { hour: 'numeric' }).resolvedOptions().hourCycle;
      return cycle === 'h12' || cycle === 'h11';
    } catch {
      return false;
    }
  }
  /** "09:14", or "9:14 AM" where the locale reads 12 hours. */
  function clockTime(iso, tz, p) {
    if (!twelveHour()) return p.hour + ':' + p.minute;
    return local(iso, tz, { hour: 'numeric', minute: '2-digit', hourCycle: 'h12' });
  }
  function local(iso, tz, options) {
    return new Intl.DateTimeFormat(locale, Object.assign({ timeZone: tz }, options)).format(new Date(iso));
  }

  function parts(iso, tz, options) {
    var map = {};
    new Intl.DateTimeFormat('en-GB', Object.assign({ timeZone: tz, hourCycle: 'h23' }, options))
      .formatToParts(new Date(iso))
      .forEach(function (part) {
        map[part.type] = part.value;
      });
    return map;
  }
  /** "Tue 26 Nov 09:14 Europe/Berlin" */
  function formatClock(iso, tz) {
    if (!english()) {
      return (
        local(iso, tz, {
          weekday: 'short',
          day: 'numeric',
          month: 'short',
          hour: '2-digit',
          minute: '2-digit',
        }) +
        ' ' +
        tz
      );
    }
    var p = parts(iso, tz, {
      weekday: 'short',
      day: 'numeric',
      month: 'short',
      hour: '2-digit',
      minute: '2-digit',
    });
    return p.weekday + ' ' + p.day + ' ' + p.month + ' ' + clockTime(iso, tz, p) + ' ' + tz;
  }
  /** "09:14" for a message from today (on the playground clock, in the reader's zone), else "Mon 14 Dec, 09:14". */
  function formatTime(iso, tz, todayIso) {
    if (!english()) {
      var sameDay =
        todayIso && local(iso, tz, { dateStyle: 'short' }) === local(todayIso, tz, { dateStyle: 'short' });
      var options = { hour: '2-digit', minute: '2-digit' };
      if (!sameDay) Object.assign(options, { weekday: 'short', day: 'numeric', month: 'short' });
      return local(iso, tz, options);
    }
    var p = parts(iso, tz, {
      weekday: 'short',
      day: 'numeric',
      month: 'short',
      hour: '2-digit',
      minute: '2-digit',
    });
    var time = clockTime(iso, tz, p);
    if (todayIso) {
      var today = parts(todayIso, tz, { day: 'numeric', month: 'short', year: 'numeric' });
      var day = parts(iso, tz, { day: 'numeric', month: 'short', year: 'numeric' });
      if (today.day === day.day && today.month === day.month && today.year === day.year) return time;
    }
    return p.weekday + ' ' + p.day + ' ' + p.month + ', ' + time;
  }

  /** Re-render a list, keeping keyboard focus on the same control when it still exists. */
  function replaceKeepingFocus(container, nodes) {
    var active = document.activeElement;
    var key =
      active && container.contains(active)
        ? [
            active.getAttribute('data-message-id'),
            active.getAttribute('data-action-id'),
            active.getAttribute('data-open-thread'),
          ]
        : null;
    var nearBottom = container.scrollHeight - container.scrollTop - container.clientHeight < 80;
    container.replaceChildren.apply(container, nodes);
    if (nearBottom) container.scrollTop = container.scrollHeight;
    if (!key) return;
    var selector = key[2]
      ? '[data-open-thread="' + CSS.escape(key[2]) + '"]'
      : '[data-message-id="' +
        CSS.escape(key[0] || '') +
        '"][data-action-id="' +
        CSS.escape(key[1] || '') +
        '"]';
    var again = container.querySelector(selector);
    if (again) again.focus();
  }

  /**
   * Screen readers hear new and updated messages once, through one polite status line, instead of the
   * whole list being re-read after every re-render. Nothing is announced when a view first opens.
   */
  function createAnnouncer(say) {
    var view = null;
    var versions = {};
    return function (viewKey, messages) {
      var lines = [];
      messages.forEach(function (m) {
        [m].concat(m.replies || []).forEach(function (each) {
          if (view === viewKey && versions[each.id] !== each.version) lines.push(each.message.text);
          versions[each.id] = each.version;
        });
      });
      view = viewKey;
      if (lines.length > 0) say(lines.join(' '));
    };
  }

  /** Sidebar buttons for conversations; the current one is marked, those with news say so in words. */
  function renderConversationList(list, conversations, current, unread, newActivity) {
    list.replaceChildren();
    conversations.forEach(function (c) {
      var button = document.createElement('button');
      button.type = 'button';
      button.dataset.conversation = c.id;
      button.textContent = c.name;
      if (c.id === current) button.setAttribute('aria-current', 'true');
      if (unread[c.id]) {
        button.classList.add('unread');
        var note = document.createElement('span');
        note.className = 'unread-note';
        note.textContent = '(' + newActivity + ')';
        button.appendChild(note);
      }
      var item = document.createElement('li');
      item.appendChild(button);
      list.appendChild(item);
    });
  }

  root.MltrlKit = {
    API: API,
    fill: fill,
    api: api,
    toDom: toDom,
    setLocale: setLocale,
    formatClock: formatClock,
    formatTime: formatTime,
    replaceKeepingFocus: replaceKeepingFocus,
    createAnnouncer: createAnnouncer,
    renderConversationList: renderConversationList,
  };
})(window);

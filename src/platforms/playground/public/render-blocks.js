/* global window */
/*
 * Neutral message blocks -> a small element tree ({ tag, attrs, children }, strings are text).
 * Pure: no DOM here, so jest can test it and the page turns the tree into elements with
 * createElement/textContent (never innerHTML), which escapes every piece of text by construction.
 * Loaded as a plain script in the page (window.MltrlRender) and with require() in tests.
 */
(function (root) {
  'use strict';

  var MENTION = /<@([^>\s]+)>/g;
  var BASE64 = /^[A-Za-z0-9+/=\s]+$/;

  function h(tag, attrs, children) {
    return { tag: tag, attrs: attrs || {}, children: children || [] };
  }

  // A time token the API did not fill for the viewer (it fills every one: reader-times.ts) shows its
  // fallback, which names its zone, rather than its syntax.
  var TIME = /<!time\^[^^|<>]*\^[^^|<>]*\|([^<>]*)>/g;

  /** Text with `<@id>` mention tokens -> text and "@Name" spans. */
  function withMentions(text, ctx) {
    text = String(text).replace(TIME, '$1');
    var parts = [];
    var last = 0;
    String(text).replace(MENTION, function (token, userId, index) {
      if (index > last) parts.push(text.slice(last, index));
      parts.push(h('span', { class: 'mention' }, ['@' + ctx.nameOf(userId)]));
      last = index + token.length;
      return token;
    });
    if (last < text.length) parts.push(text.slice(last));
    return parts;
  }

  /** A card text span: emphasis, code and links (http(s) or mailto only) as elements, text escaped. */
  function renderSpan(span, ctx) {
    var node = span.code ? h('code', {}, [span.text]) : h('span', {}, withMentions(span.text, ctx));
    if (span.italic) node = h('em', {}, [node]);
    if (span.bold) node = h('strong', {}, [node]);
    var link =
      typeof span.url === 'string' && /^(https?:\/\/|mailto:)/i.test(span.url) ? span.url : undefined;
    return link ? h('a', { href: link, target: '_blank', rel: 'noopener noreferrer' }, [node]) : node;
  }

  function safeUrl(url) {
    return typeof url === 'string' && /^https?:\/\//i.test(url) ? url : undefined;
  }

  function renderAction(action, index, stored) {
    var common = { 'data-message-id': stored.id, 'data-action-id': action.actionId };
    if (action.type === 'select') {
      var selectId = 'select-' + stored.id + '-' + index;
      var options = [h('option', { value: '' }, [action.placeholder])].concat(
        action.options.map(function (option) {
          return h('option', { value: option.value }, [option.label]);
        }),
      );
      return h('span', { class: 'select-wrap' }, [
        h('label', { for: selectId, class: 'visually-hidden' }, [action.placeholder]),
        h('select', Object.assign({ id: selectId, class: 'action-select' }, common), options),
      ]);
    }
    var link = safeUrl(action.url);
    if (action.url) {
      return link
        ? h('a', { class: 'btn btn-link', href: link, target: '_blank', rel: 'noopener noreferrer' }, [
            action.label,
          ])
        : h('span', { class: 'btn btn-disabled', 'aria-disabled': 'true' }, [action.label]);
    }
    var attrs = Object.assign(
      { type: 'button', class: 'btn' + (action.style ? ' btn-' + action.style : '') },
      common,
      {
        'data-value': action.value,
      },
    );
    if (action.asksReason) attrs['data-asks-reason'] = 'true';
    return h('button', attrs, [action.label]);
  }

  function renderBlock(block, stored, ctx) {
    switch (block.type) {
      case 'header':
        return h('h3', { class: 'blk-header' }, withMentions(block.text, ctx));
      case 'text':
        return h('p', { class: 'blk-text' }, withMentions(block.text, ctx));
      case 'context':
        return h('p', { class: 'blk-context' }, withMentions(block.text, ctx));
      case 'divider':
        return h('hr', { class: 'blk-divider' });
      case 'fields':
        return h(
          'dl',
          { class: 'blk-fields' },
          block.fields.map(function (field) {
            return h('div', { class: 'field' }, [
              h('dt', {}, withMentions(field.label, ctx)),
              h('dd', {}, withMentions(field.value, ctx)),
            ]);
          }),
        );
      case 'list': {
        var children = [];
        if (block.title) children.push(h('p', { class: 'list-title' }, withMentions(block.title, ctx)));
        children.push(
          h(
            'ul',
            {},
            block.items.map(function (item) {
              return h('li', {}, withMentions(item, ctx));
            }),
          ),
        );
        if (block.more) children.push(h('p', { class: 'list-more' }, withMentions(block.more, ctx)));
        return h('div', { class: 'blk-list' }, children);
      }
      case 'rich': {
        var parts = [];
        if (block.title) parts.push(h('p', { class: 'rich-title' }, withMentions(block.title, ctx)));
        var list = null;
        block.paragraphs.forEach(function (paragraph) {
          var spans = paragraph.spans.map(function (span) {
            return renderSpan(span, ctx);
          });
          if (!paragraph.list) {
            list = null;
            parts.push(h('p', {}, spans));
            return;
          }
          var tag = paragraph.list === 'ordered' ? 'ol' : 'ul';
          if (!list || list.tag !== tag) {
            list = h(tag, tag === 'ol' && paragraph.number ? { start: String(paragraph.number) } : {}, []);
            parts.push(list);
          }
          list.children.push(h('li', {}, spans));
        });
        return h('div', { class: 'blk-rich' }, parts);
      }
      case 'image': {
        var src =
          block.pngBase64 && BASE64.test(block.pngBase64)
            ? 'data:image/png;base64,' + block.pngBase64.replace(/\s/g, '')
            : safeUrl(block.url);
        return src
          ? h('img', { class: 'blk-image', src: src, alt: block.alt })
          : h('p', { class: 'blk-context' }, [block.alt]);
      }
      case 'actions':
        return h(
          'div',
          { class: 'blk-actions', role: 'group', 'aria-label': ctx.strings.actionsLabel || 'Actions' },
          block.actions.map(function (action, index) {
            return renderAction(action, index, stored);
          }),
        );
      default:
        return h('p', { class: 'blk-text' }, ['']);
    }
  }

  /** One posted message (with meta line, blocks, ephemeral note and the "N replies" link). */
  function renderMessage(stored, ctx, options) {
    var opts = options || {};
    var message = stored.message;
    var meta = [
      h('span', { class: 'author' }, [ctx.strings.bot || 'mltrl-bot']),
      h('time', { datetime: stored.postedAt }, [ctx.formatTime(stored.postedAt)]),
    ];
    if (stored.version > 1)
      meta.push(h('span', { class: 'edited' }, ['(' + (ctx.strings.edited || 'updated') + ')']));
    if (stored.visibleTo) meta.push(h('span', { class: 'ephemeral-note' }, [ctx.strings.onlyVisibleToYou]));
    var body =
      message.blocks && message.blocks.length > 0
        ? message.blocks.map(function (block) {
            return renderBlock(block, stored, ctx);
          })
        : [h('p', { class: 'blk-text' }, withMentions(message.text || '', ctx))];
    var children = [h('div', { class: 'msg-meta' }, meta), h('div', { class: 'msg-body' }, body)];
    var replies = stored.replies ? stored.replies.length : 0;
    if (replies > 0 && !opts.inThread) {
      children.push(
        h(
          'button',
          {
            type: 'button',
            class: 'replies-link',
            'data-open-thread': stored.id,
            title: ctx.strings.openThreadLabel,
          },
          [ctx.plural('replies', replies)],
        ),
      );
    }
    var cls = 'msg kind-' + message.kind + (stored.visibleTo ? ' ephemeral' : '');
    return h(
      'article',
      {
        class: cls,
        'data-message-id': stored.id,
        'data-kind': message.kind,
        'data-version': String(stored.version),
      },
      children,
    );
  }

  var VOID = { hr: true, img: true };
  function escapeHtml(text) {
    return String(text).replace(/[&<>"']/g, function (c) {
      return { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c];
    });
  }
  /** The tree as escaped HTML text, for golden tests (the page builds DOM nodes instead). */
  function toHtml(node) {
    if (typeof node === 'string') return escapeHtml(node);
    var attrs = Object.keys(node.attrs)
      .map(function (key) {
        return ' ' + key + '="' + escapeHtml(node.attrs[key]) + '"';
      })
      .join('');
    if (VOID[node.tag]) return '<' + node.tag + attrs + '>';
    return '<' + node.tag + attrs + '>' + node.children.map(toHtml).join('') + '</' + node.tag + '>';
  }

  var api = {
    renderMessage: renderMessage,
    renderBlock: renderBlock,
    withMentions: withMentions,
    toHtml: toHtml,
    h: h,
  };
  if (typeof module !== 'undefined' && module.exports) module.exports = api;
  else root.MltrlRender = api;
})(typeof window !== 'undefined' ? window : this);

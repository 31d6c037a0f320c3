// Goalpost Coffee: the demo shop's only script. The cart lives in
// localStorage; there is no server behind the shop, so "placing an order"
// stores it and moves on to the thank-you page.
//
// Analytics stay declarative where they can: add-to-cart buttons carry
// data-goalpost-* attributes, and the newsletter, review and page goals are in
// the config. The one explicit call is the purchase, whose value only this
// script knows (see placeOrder).
(function () {
  'use strict';

  var CART_KEY = 'goalpost-coffee:cart';
  var ORDER_KEY = 'goalpost-coffee:last-order';
  var SHIPPING = 4.9;
  var FREE_SHIPPING_FROM = 30;
  var money = new Intl.NumberFormat('en-IE', { style: 'currency', currency: 'EUR' });

  function readJson(key, fallback) {
    try {
      var raw = localStorage.getItem(key);
      return raw ? JSON.parse(raw) : fallback;
    } catch (e) {
      return fallback;
    }
  }

  function writeJson(key, value) {
    try {
      if (value === null) localStorage.removeItem(key);
      else localStorage.setItem(key, JSON.stringify(value));
    } catch (e) {
      // Private mode or a full quota: the cart lasts for this page only.
    }
  }

  function readCart() {
    var cart = readJson(CART_KEY, []);
    return Array.isArray(cart) ? cart : [];
  }

  function totals(cart) {
    var subtotal = 0;
    var count = 0;
    cart.forEach(function (line) {
      subtotal += line.price * line.qty;
      count += line.qty;
    });
    subtotal = round2(subtotal);
    var shipping = count === 0 || subtotal >= FREE_SHIPPING_FROM ? 0 : SHIPPING;
    return { count: count, subtotal: subtotal, shipping: shipping, total: round2(subtotal + shipping) };
  }

  function round2(n) {
    return Math.round(n * 100) / 100;
  }

  function addToCart(product) {
    var cart = readCart();
    var line = cart.filter(function (l) { return l.id === product.id; })[0];
    if (line) line.qty += 1;
    else cart.push({ id: product.id, name: product.name, price: product.price, qty: 1 });
    writeJson(CART_KEY, cart);
    renderCartCount();
  }

  function setQty(id, qty) {
    var cart = readCart()
      .map(function (l) { return l.id === id ? { id: l.id, name: l.name, price: l.price, qty: qty } : l; })
      .filter(function (l) { return l.qty > 0; });
    writeJson(CART_KEY, cart);
    renderCartCount();
    renderCart();
  }

  function renderCartCount() {
    var count = totals(readCart()).count;
    document.querySelectorAll('[data-cart-count]').forEach(function (el) {
      el.textContent = String(count);
    });
  }

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function renderSummary(container, cart, editable) {
    container.textContent = '';
    cart.forEach(function (line) {
      var row = el('div', 'cart-line');
      row.appendChild(el('span', 'cart-line-name', line.name));
      if (editable) {
        var qty = el('span', 'cart-line-qty');
        var less = el('button', 'qty-button', '−');
        less.type = 'button';
        less.setAttribute('aria-label', 'One less ' + line.name);
        less.addEventListener('click', function () { setQty(line.id, line.qty - 1); });
        var more = el('button', 'qty-button', '+');
        more.type = 'button';
        more.setAttribute('aria-label', 'One more ' + line.name);
        more.addEventListener('click', function () { setQty(line.id, line.qty + 1); });
        qty.appendChild(less);
        qty.appendChild(el('span', 'qty-value', String(line.qty)));
        qty.appendChild(more);
        row.appendChild(qty);
      } else {
        row.appendChild(el('span', 'cart-line-qty', '× ' + line.qty));
      }
      row.appendChild(el('span', 'cart-line-price', money.format(line.price * line.qty)));
      container.appendChild(row);
    });
    var t = totals(cart);
    var sums = el('dl', 'cart-totals');
    [['Subtotal', money.format(t.subtotal)], ['Shipping', t.shipping ? money.format(t.shipping) : 'free'], ['Total', money.format(t.total)]].forEach(function (pair) {
      sums.appendChild(el('dt', '', pair[0]));
      sums.appendChild(el('dd', pair[0] === 'Total' ? 'cart-total' : '', pair[1]));
    });
    container.appendChild(sums);
  }

  function renderCart() {
    var container = document.querySelector('[data-cart]');
    if (!container) return;
    var cart = readCart();
    var empty = cart.length === 0;
    document.querySelectorAll('[data-cart-empty]').forEach(function (n) { n.hidden = !empty; });
    document.querySelectorAll('[data-cart-full]').forEach(function (n) { n.hidden = empty; });
    if (!empty) renderSummary(container, cart, container.hasAttribute('data-editable'));
    else container.textContent = '';
  }

  function orderId() {
    var bytes = new Uint8Array(4);
    crypto.getRandomValues(bytes);
    return 'GP-' + Array.prototype.map.call(bytes, function (b) { return ('0' + b.toString(16)).slice(-2); }).join('').toUpperCase();
  }

  // The order is placed here, on the checkout page, so the purchase is
  // completed by hand now, with its real value, while goalpost is running on
  // this page. The thank-you page view that follows also matches the
  // destination goal, but a goal converts once per session: the valued
  // conversion made here is the one that counts. If goalpost never loaded on
  // this page, the call dies with the page and the thank-you page view still
  // records the purchase, without a value.
  function placeOrder(event) {
    event.preventDefault();
    var form = event.currentTarget;
    var cart = readCart();
    var t = totals(cart);
    var status = form.querySelector('[data-form-status]');
    if (t.count === 0) {
      if (status) status.textContent = 'Your cart is empty.';
      return;
    }
    var order = { id: orderId(), lines: cart, total: t.total, placedAt: Date.now() };
    writeJson(ORDER_KEY, order);
    writeJson(CART_KEY, null);
    if (typeof window.goalpost === 'function') window.goalpost('goal', 'purchase', t.total);
    // Only the order id goes into the URL; nothing the customer typed does.
    location.assign('/checkout/thanks.html?order=' + encodeURIComponent(order.id));
  }

  function renderThanks() {
    var box = document.querySelector('[data-order]');
    if (!box) return;
    var wanted = new URLSearchParams(location.search).get('order');
    var order = readJson(ORDER_KEY, null);
    if (!order || order.id !== wanted) return;
    box.querySelector('[data-order-id]').textContent = order.id;
    renderSummary(box.querySelector('[data-order-lines]'), order.lines, false);
    box.hidden = false;
  }

  function subscribe(event) {
    event.preventDefault();
    var form = event.currentTarget;
    // Let goalpost's own submit listener see the form as it was; change it after.
    setTimeout(function () {
      form.classList.add('is-done');
      form.querySelectorAll('input, button').forEach(function (n) { n.disabled = true; });
      var status = form.querySelector('[data-form-status]');
      if (status) status.textContent = 'Thanks! The next letter is on its way to you.';
    }, 0);
  }

  function start() {
    renderCartCount();
    renderCart();
    renderThanks();

    document.querySelectorAll('button.add-to-cart').forEach(function (button) {
      button.addEventListener('click', function () {
        addToCart({
          id: button.getAttribute('data-goalpost-label'),
          name: button.getAttribute('data-product-name'),
          price: Number(button.getAttribute('data-goalpost-value')),
        });
        button.classList.add('is-added');
        button.textContent = 'Added ✓';
        setTimeout(function () {
          button.classList.remove('is-added');
          button.textContent = 'Add to cart';
        }, 1500);
      });
    });

    document.querySelectorAll('form.checkout-form').forEach(function (form) {
      form.addEventListener('submit', placeOrder);
    });
    document.querySelectorAll('form.newsletter').forEach(function (form) {
      form.addEventListener('submit', subscribe);
    });

    // The cart changed in another tab.
    window.addEventListener('storage', function (e) {
      if (e.key === CART_KEY) {
        renderCartCount();
        renderCart();
      }
    });
  }

  start();
})();

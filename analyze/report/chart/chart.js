/* chart.js - the report's charts (analyze/report/chart/svg_chart.h),
 * embedded in the page.  It fits each chart to its card's width with the
 * text at its own size, thins the time labels when they would touch, and
 * shows the time and the values under the pointer, or at a cursor moved
 * with the arrow keys when a chart has the focus.  Everything comes from
 * the chart itself: the plot's paths are the data in plot units (x: seconds
 * from data-t0, times data-xs; y: from the top of the value axis [data-lo,
 * data-hi], its height being the plot's viewBox height), data-tz is the
 * clock ("from offset abbreviation;..." in UTC seconds).  No request, no library; without it
 * the charts still scale to their card. */
(function () {
	'use strict';
	var GAP = 8;
	var BYTES = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'];

	function attrs(el, a) {
		for (var k in a)
			el.setAttribute(k, a[k]);
		return el;
	}

	function textWidth(t) {
		return t.getComputedTextLength();
	}

	/* Hide every label of LABELS (with their x in px in XS) whose box
	 * would touch the one before it; keep every K-th, K a power of two. */
	function thin(labels, xs) {
		var k = 1, n = labels.length;
		for (; k < n; k *= 2) {
			var ok = true, prev = -Infinity;
			for (var i = 0; i < n && ok; i += k) {
				var w = textWidth(labels[i]);
				ok = xs[i] - w / 2 >= prev + GAP;
				prev = xs[i] + w / 2;
			}
			if (ok)
				break;
		}
		labels.forEach(function (t, i) { t.classList.toggle('hid', i % k !== 0); });
	}

	/* The markers' names: on the side of their line that has room, and
	 * only where they do not run into the one before. */
	function placeMarks(svg, ml, pw) {
		var right = -Infinity;
		svg.querySelectorAll('.mkl').forEach(function (t) {
			t.classList.remove('hid');
			var x = ml + parseFloat(t.getAttribute('x')) / 100 * pw, w = textWidth(t);
			var start = x + 4 + w <= ml + pw, x0 = start ? x + 4 : x - 4 - w;
			attrs(t, { dx: start ? 4 : -4, 'text-anchor': start ? 'start' : 'end' });
			t.classList.toggle('hid', x0 < ml || x0 < right + GAP);
			if (x0 >= ml && x0 >= right + GAP)
				right = x0 + w;
		});
	}

	/* One unit of the viewBox is one pixel: the text keeps its size, the
	 * plot takes the width the labels leave. */
	function fit(svg) {
		var w = svg.getBoundingClientRect().width, h = svg.viewBox.baseVal.height;
		if (!w)
			return;
		var yl = svg.querySelectorAll('.yl'), xl = Array.prototype.slice.call(svg.querySelectorAll('.xl'));
		var ml = 0, half = 0;
		xl.forEach(function (t) { t.classList.remove('hid'); });
		yl.forEach(function (t) { ml = Math.max(ml, textWidth(t) + 10); });
		xl.forEach(function (t) { half = Math.max(half, textWidth(t) / 2 + 4); });
		ml = Math.ceil(Math.max(ml, half));
		var mr = Math.ceil(Math.max(12, half)), pw = Math.max(w - ml - mr, 40);
		svg.setAttribute('viewBox', '0 0 ' + w + ' ' + h);
		yl.forEach(function (t) { t.setAttribute('x', ml - 6); });
		svg.querySelectorAll('.pl,.xa').forEach(function (s) { attrs(s, { x: ml, width: pw }); });
		thin(xl, xl.map(function (t) { return ml + parseFloat(t.getAttribute('x')) / 100 * pw; }));
		placeMarks(svg, ml, pw);
	}

	/* Path data in plot units: its points, and where each subpath starts;
	 * an area's path ends its top edge at V. */
	function points(d) {  /* the writer's M and l only: "M x y l dx dy dx dy ..." */
		var tok = d.match(/[A-Za-z]|-?\d+(\.\d+)?/g) || [], x = 0, y = 0, p = { x: [], y: [] };
		for (var i = 0, cmd = ''; i < tok.length; i++) {
			if (/[A-Za-z]/.test(tok[i])) {
				cmd = tok[i];
				if (cmd !== 'M' && cmd !== 'l')
					break;
				continue;
			}
			var a = +tok[i], b = +tok[++i];
			x = cmd === 'M' ? a : x + a;
			y = cmd === 'M' ? b : y + b;
			var n = p.x.length;
			if (n && p.x[n - 1] === x && cmd !== 'M')
				continue;   /* "l0 0": a lone point */
			p.x.push(x);
			p.y.push(y);
		}
		return p;
	}

	function nearest(xs, x) {
		var lo = 0, hi = xs.length - 1;
		while (hi - lo > 1) {
			var mid = (lo + hi) >> 1;
			if (xs[mid] <= x)
				lo = mid;
			else
				hi = mid;
		}
		return Math.abs(xs[hi] - x) < Math.abs(xs[lo] - x) ? hi : lo;
	}

	function median(a) {
		var d = [];
		for (var i = 1; i < a.length; i++)
			d.push(a[i] - a[i - 1]);
		d.sort(function (p, q) { return p - q; });
		return d.length ? d[d.length >> 1] : 0;
	}

	/* The chart's data, read once from its paths. */
	function data(svg) {
		if (svg._data)
			return svg._data;
		var ds = svg.dataset, c = {
			t0: +ds.t0, xs: +ds.xs, lo: +ds.lo, hi: +ds.hi, unit: ds.unit, series: [], refs: [],
			marks: [], all: [], pl: svg.querySelector('.pl'), xa: svg.querySelector('.xa'),
			tz: (ds.tz || '0 0 UTC').split(';').map(function (s) {
				var f = s.split(' ');
				return { from: +f[0], off: +f[1], abbr: f.slice(2).join(' ') };
			})
		};
		var below = null, seen = {};
		svg.querySelectorAll('.pl path[data-i]').forEach(function (p) {
			var area = p.classList.contains('area'), pt = points(p.getAttribute('d'));
			c.series.push({
				name: p.dataset.series, i: +p.dataset.i, area: area, x: pt.x, y: pt.y,
				dashed: p.hasAttribute('stroke-dasharray'), colour: p.getAttribute(area ? 'fill' : 'stroke'),
				tol: Math.max(median(pt.x) * 0.75, 1)
			});
		});
		c.yres = c.pl.viewBox.baseVal.height;
		var base = c.hi / (c.hi - c.lo) * c.yres;   /* where 0 is */
		c.series.sort(function (a, b) { return a.i - b.i; });
		c.series.forEach(function (s) {   /* an area's own values: its top less the one below */
			if (s.area) {
				s.v = s.y.map(function (y, i) { return (below ? below.y[i] : base) - y; });
				below = s;
			}
			if (!s.dashed || c.series.every(function (o) { return o.dashed; }))
				s.x.forEach(function (x) { seen[x] = 1; });
		});
		c.all = Object.keys(seen).map(Number).sort(function (a, b) { return a - b; });
		svg.querySelectorAll('.pl .ref').forEach(function (p) {
			c.refs.push({ name: p.dataset.series, y: points(p.getAttribute('d')).y[0] });
		});
		svg.querySelectorAll('.pl .marker').forEach(function (p) {
			c.marks.push({ name: p.dataset.series, x: points(p.getAttribute('d')).x[0] });
		});
		svg._data = c;
		return c;
	}

	function num(v) {
		var a = Math.abs(v);
		return a >= 100 || a === 0 ? v.toFixed(0) : a >= 10 ? v.toFixed(1) : a >= 1 ? v.toFixed(2) : v.toPrecision(2);
	}

	/* A value in the chart's unit, as the axis says it. */
	function value(c, y, height) {
		var v = height ? y / c.yres * (c.hi - c.lo) : c.hi - y / c.yres * (c.hi - c.lo);
		if (c.unit === 'bytes') {
			var k = 0;
			while (k + 1 < BYTES.length && Math.abs(v) >= 1024) {
				v /= 1024;
				k++;
			}
			return v.toFixed(k === 0 || Math.abs(v) >= 100 ? 0 : 1) + ' ' + BYTES[k];
		}
		return num(v) + (c.unit === 'percent' ? ' %' : c.unit === 'per-second' ? '/s' : '');
	}

	/* "2026-12-01 06:52:31 UTC" on the chart's clock. */
	function when(c, t) {
		var z = c.tz[0];
		c.tz.forEach(function (s) { if (s.from <= t) z = s; });
		var iso = new Date((Math.floor(t) + z.off) * 1000).toISOString();
		return iso.slice(0, 10) + ' ' + iso.slice(11, 19) + ' ' + z.abbr;
	}

	/* Series S at X: its point there (an area: its band), a fit's line
	 * between its points; null where it has none. */
	function at(s, x) {
		if (!s.x.length)
			return null;
		if (s.dashed) {
			if (x < s.x[0] || x > s.x[s.x.length - 1])
				return null;
			var i = Math.min(nearest(s.x, x), s.x.length - 2), j = i + 1;
			if (s.x[i] > x && i > 0) {
				i--;
				j--;
			}
			var f = s.x[j] === s.x[i] ? 0 : (x - s.x[i]) / (s.x[j] - s.x[i]);
			return { y: s.y[i] + f * (s.y[j] - s.y[i]) };
		}
		var k = nearest(s.x, x);
		return Math.abs(s.x[k] - x) <= s.tol ? { y: s.y[k], v: s.area ? s.v[k] : 0 } : null;
	}

	function row(tip, colour, name, val) {
		var d = tip.appendChild(document.createElement('div')), sw = document.createElement('i');
		if (colour) {
			sw.className = 'sw a';
			sw.style.color = colour;
			d.appendChild(sw);
		}
		d.appendChild(document.createTextNode(name));
		if (val !== undefined) {
			var b = d.appendChild(document.createElement('span'));
			b.className = 'v';
			b.textContent = val;
		}
	}

	function hide(svg) {
		var fig = svg.parentNode;
		if (fig._tip)
			fig._tip.style.display = 'none';
		svg.querySelectorAll('.cur,.dot').forEach(function (e) { e.parentNode.removeChild(e); });
	}

	/* The tooltip and the cursor at point I of the chart's times. */
	function show(svg, i) {
		var c = data(svg), fig = svg.parentNode;
		if (!c.all.length)
			return;
		i = Math.max(0, Math.min(c.all.length - 1, i));
		svg._i = i;
		hide(svg);
		var x = c.all[i], xw = c.pl.viewBox.baseVal.width, ph = +c.pl.getAttribute('height');
		var pc = (xw ? x / xw * 100 : 0) + '%';
		var tip = fig._tip || (fig._tip = fig.appendChild(document.createElement('div')));
		tip.className = 'tip';
		tip.textContent = '';
		var head = tip.appendChild(document.createElement('div'));
		head.appendChild(document.createElement('b')).textContent = when(c, c.t0 + x / c.xs);
		c.xa.appendChild(attrs(document.createElementNS(svg.namespaceURI, 'line'), { 'class': 'cur', x1: pc, x2: pc, y1: 0, y2: ph }));
		c.series.forEach(function (s) {
			var p = at(s, x);
			if (!p)
				return;
			row(tip, s.colour, s.name, value(c, s.area ? p.v : p.y, s.area));
			c.xa.appendChild(attrs(document.createElementNS(svg.namespaceURI, 'circle'),
				{ 'class': 'dot', cx: pc, cy: p.y / c.yres * ph, r: 3.5, fill: s.colour }));
		});
		c.refs.forEach(function (r) { row(tip, null, r.name, value(c, r.y)); });
		c.marks.forEach(function (m) {
			if (Math.abs(m.x - x) <= Math.max(xw / 100, 1))
				row(tip, null, '\u25b2 ' + m.name);
		});
		tip.style.display = 'block';
		var fr = fig.getBoundingClientRect(), pr = c.pl.getBoundingClientRect();
		var px = pr.left - fr.left + (xw ? x / xw : 0) * pr.width, left = px + 14;
		if (left + tip.offsetWidth > fig.clientWidth - 4)
			left = Math.max(4, px - 14 - tip.offsetWidth);
		tip.style.left = left + 'px';
		tip.style.top = pr.top - fr.top + 4 + 'px';
	}

	function pointer(svg, e) {
		var c = data(svg), r = c.pl.getBoundingClientRect();
		if (!r.width || !c.all.length)
			return;
		show(svg, nearest(c.all, (e.clientX - r.left) / r.width * c.pl.viewBox.baseVal.width));
	}

	function key(svg, e) {
		var c = data(svg), i = svg._i === undefined ? c.all.length - 1 : svg._i;
		var step = { ArrowLeft: -1, ArrowRight: 1, PageUp: -10, PageDown: 10, Home: -Infinity, End: Infinity }[e.key];
		if (e.key === 'Escape')
			return hide(svg);
		if (step === undefined)
			return;
		e.preventDefault();
		show(svg, step === -Infinity ? 0 : step === Infinity ? c.all.length - 1 : i + step);
	}

	var charts = document.querySelectorAll('svg.chart');
	charts.forEach(function (svg) {
		fit(svg);
		svg.addEventListener('pointermove', function (e) { pointer(svg, e); });
		svg.addEventListener('pointerleave', function () { if (document.activeElement !== svg) hide(svg); });
		svg.addEventListener('focus', function () { show(svg, svg._i === undefined ? Infinity : svg._i); });
		svg.addEventListener('blur', function () { hide(svg); });
		svg.addEventListener('keydown', function (e) { key(svg, e); });
	});
	if (window.ResizeObserver) {
		var ro = new ResizeObserver(function (es) {
			es.forEach(function (e) { var s = e.target.querySelector('svg.chart'); if (s) fit(s); });
		});
		charts.forEach(function (svg) { ro.observe(svg.parentNode); });
	} else {
		window.addEventListener('resize', function () { charts.forEach(fit); });
	}
})();

/* layout-check.js - appended by layout.sh to a copy of a report, after a
 * line that sets P (the expectations: P.window, P.marks), and run by
 * Chromium at the width under test.  It checks the charts as laid out and
 * writes its results into the page, one pre element each, for the test to
 * read from --dump-dom (one line each, "name: ..."):
 *   check   "FAIL ..." per problem, then "ok ..." and the counts
 *   hover   the tooltip of mem-available pointed at mid-plot: time|series|value
 *   keys    the times the tooltip shows when that chart gets the focus (where
 *           the pointer was), after End (the last point), after ArrowLeft
 *   height  the page's height, for the screenshot */
(function () {
	'use strict';
	var out = [], texts = 0, entries = 0, charts = 0, shaded = 0, marked = 0, marklabels = 0;
	function bad(m) { out.push('FAIL ' + m); }
	function put(name, text) {
		document.body.appendChild(document.createElement('pre')).textContent = '\n' + name + ': ' + text + '\n';
	}
	function inside(r, box) {
		return r.left >= box.left - 0.5 && r.right <= box.right + 0.5 && r.top >= box.top - 0.5 &&
			r.bottom <= box.bottom + 0.5;
	}
	function overlap(a, b) {
		return a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
	}
	function shown(e) {
		return e.getClientRects().length > 0 && getComputedStyle(e).visibility !== 'hidden';
	}
	function apart(list, what) {   /* no two boxes of LIST overlap */
		for (var i = 0; i < list.length; i++)
			for (var j = 0; j < i; j++)
				if (overlap(list[i].box, list[j].box))
					bad(what + ': "' + list[j].text + '" and "' + list[i].text + '" overlap');
	}
	/* where time T falls on chart SVG's plot, in page pixels */
	function xOf(svg, t) {
		var pl = svg.querySelector('.pl'), r = pl.getBoundingClientRect();
		return r.left + (t - +svg.dataset.t0) * +svg.dataset.xs / pl.viewBox.baseVal.width * r.width;
	}

	document.querySelectorAll('svg.chart').forEach(function (svg) {
		var id = svg.dataset.chart, r = svg.getBoundingClientRect(), vb = svg.viewBox.baseVal;
		var ticks = [], marks = [];
		charts++;
		if (Math.abs(vb.width - r.width) > 1)
			bad(id + ': a viewBox of ' + vb.width + ' units drawn in ' + r.width + ' px');
		svg.querySelectorAll('text').forEach(function (t) {
			if (!shown(t))
				return;
			texts++;
			var b = t.getBoundingClientRect(), bb = t.getBBox(), p = t.parentNode;
			var dx = p === svg ? 0 : p.x.baseVal.value, dy = p === svg ? 0 : p.y.baseVal.value;
			var px = parseFloat(getComputedStyle(t).fontSize) * r.width / vb.width;
			if (!inside(b, r))
				bad(id + ': "' + t.textContent + '" overflows its SVG');
			if (bb.x + dx < -0.5 || bb.x + dx + bb.width > vb.width + 0.5 || bb.y + dy < -0.5 ||
			    bb.y + dy + bb.height > vb.height + 0.5)
				bad(id + ': "' + t.textContent + '" is outside the viewBox');
			if (px < 11)
				bad(id + ': "' + t.textContent + '" is ' + px.toFixed(1) + ' px high');
			if (t.classList.contains('xl'))
				ticks.push({ box: b, text: t.textContent });
			if (t.classList.contains('mkl')) {
				marks.push({ box: b, text: t.textContent });
				marklabels++;
			}
		});
		apart(ticks, id + ' time labels');
		apart(marks, id + ' marker names');
		if (P.window && P.window.chart === id) {
			var w = svg.querySelector('.pl .win');
			if (!w) {
				bad(id + ': the finding\'s window is not shaded');
			} else {
				var wb = w.getBoundingClientRect(), x0 = xOf(svg, P.window.t0), x1 = xOf(svg, P.window.t1);
				if (Math.abs(wb.left - x0) > 1.5 || Math.abs(wb.right - x1) > 1.5)
					bad(id + ': the window is shaded from ' + wb.left + ' to ' + wb.right + ' px, not ' + x0 + ' to ' + x1);
				else
					shaded++;
			}
		}
		(P.marks || []).forEach(function (m) {
			var t0 = +svg.dataset.t0, t1 = t0 + svg.querySelector('.pl').viewBox.baseVal.width / +svg.dataset.xs;
			if (m.t < t0 || m.t > t1)
				return;
			var found = Array.prototype.some.call(svg.querySelectorAll('.pl .marker'), function (p) {
				return p.dataset.series === m.label && Math.abs(p.getBoundingClientRect().left - xOf(svg, m.t)) <= 1.5;
			});
			if (found)
				marked++;
			else
				bad(id + ': no "' + m.label + '" marker at ' + m.t);
		});
	});

	document.querySelectorAll('figure.fig').forEach(function (fig) {
		var fr = fig.getBoundingClientRect(), cap = fig.querySelector('figcaption'), list = [];
		var name = cap ? cap.textContent : '?';
		if (!cap || !inside(cap.getBoundingClientRect(), fr) || cap.scrollWidth > cap.clientWidth + 1)
			bad('"' + name + '": the caption is cut');
		fig.querySelectorAll('.lg > span').forEach(function (e) {
			var b = e.getBoundingClientRect();
			entries++;
			if (!shown(e) || b.width < 5 || b.height < 5)
				bad('"' + name + '": legend entry "' + e.textContent + '" is not shown');
			else if (!inside(b, fr))
				bad('"' + name + '": legend entry "' + e.textContent + '" is clipped');
			list.push({ box: b, text: e.textContent });
		});
		apart(list, '"' + name + '" legend');
		var svg = fig.querySelector('svg.chart'), lg = fig.querySelector('.lg');
		if (svg && !inside(svg.getBoundingClientRect(), fr))
			bad('"' + name + '": the chart is wider than its card');
		if (svg && lg && overlap(svg.getBoundingClientRect(), lg.getBoundingClientRect()))
			bad('"' + name + '": the legend runs into the chart');
	});

	/* hover the middle of the available-memory chart; then the keyboard */
	var av = document.querySelector('svg.chart[data-chart="mem-available"]');
	if (av) {
		var pr = av.querySelector('.pl').getBoundingClientRect();
		av.dispatchEvent(new PointerEvent('pointermove', { clientX: pr.left + pr.width / 2, clientY: pr.top + 20, bubbles: true }));
		var tip = av.parentNode.querySelector('.tip'), rows = tip ? tip.querySelectorAll('div') : [];
		if (!tip || !shown(tip) || rows.length < 2) {
			bad('mem-available: no tooltip on hover');
		} else {
			if (!inside(tip.getBoundingClientRect(), av.parentNode.getBoundingClientRect()))
				bad('mem-available: the tooltip leaves its card');
			var v = rows[1].querySelector('.v');
			put('hover', rows[0].textContent + '|' + rows[1].firstChild.nextSibling.textContent + '|' + (v ? v.textContent : ''));
		}
		av.dispatchEvent(new PointerEvent('pointerleave', { bubbles: false }));
		var keys = [];
		av.focus();
		keys.push(tip ? tip.firstChild.textContent : '');
		['End', 'ArrowLeft'].forEach(function (k) {
			av.dispatchEvent(new KeyboardEvent('keydown', { key: k, bubbles: true }));
			keys.push(tip ? tip.firstChild.textContent : '');
		});
		put('keys', keys.join('|'));
		av.blur();
		if (tip && shown(tip))
			bad('mem-available: the tooltip stays after the focus left');
	}
	out.push('ok charts=' + charts + ' texts=' + texts + ' legend=' + entries + ' shaded=' + shaded +
		 ' marked=' + marked + ' marklabels=' + marklabels);
	put('check', out.join('; '));
	put('height', String(document.documentElement.scrollHeight));
})();

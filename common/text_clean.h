/*
 * text_clean.h - text from bundles and rules on its way to a terminal.
 *
 * Process names, cgroup paths and rule messages come from other machines:
 * an escape sequence in one (a process can name itself "\033]0;...") must
 * not reach the reader's terminal.  text_clean() replaces, in place, every
 * ASCII control character and DEL with '?', keeping newlines and tabs when
 * KEEP_LINES.  Bytes from 0x80 up are UTF-8 and left alone.
 */
#ifndef TEXT_CLEAN_H
#define TEXT_CLEAN_H

static inline void text_clean(char *s, int keep_lines)
{
	for (; s && *s; s++) {
		unsigned char c = (unsigned char)*s;
		if ((c < 0x20 && !(keep_lines && (c == '\n' || c == '\t'))) || c == 0x7f)
			*s = '?';
	}
}

#endif

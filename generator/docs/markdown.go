package docs

import (
	"strconv"
	"strings"
	"unicode"
)

// code returns s as a Markdown code span, with a fence of backticks longer than any run of
// backticks inside s.
func code(s string) string {
	fence := strings.Repeat("`", longestRun(s, '`')+1)
	if strings.HasPrefix(s, "`") || strings.HasSuffix(s, "`") {
		return fence + " " + s + " " + fence
	}
	return fence + s + fence
}

// codeBlock returns content as a fenced code block of language lang, content ending in a
// newline.
func codeBlock(lang, content string) string {
	fence := strings.Repeat("`", max(3, longestRun(content, '`')+1))
	content = strings.TrimRight(content, "\n")
	return fence + lang + "\n" + content + "\n" + fence
}

func longestRun(s string, c byte) int {
	longest, run := 0, 0
	for i := 0; i < len(s); i++ {
		if s[i] == c {
			run++
			longest = max(longest, run)
		} else {
			run = 0
		}
	}
	return longest
}

// cell makes Markdown text fit one table cell: one line, pipes escaped (GitHub reads \| as a
// pipe even inside code spans).
func cell(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	return strings.ReplaceAll(s, "|", `\|`)
}

// slugger gives headings the anchors GitHub gives them: lower case, punctuation other than
// '-' and '_' removed, spaces turned into '-', and "-1", "-2"... appended to repeats in
// document order. Every heading of the page must pass through it in order.
type slugger struct {
	seen map[string]int
}

func (s *slugger) slug(heading string) string {
	if s.seen == nil {
		s.seen = map[string]int{}
	}
	var b strings.Builder
	for _, r := range strings.ToLower(heading) {
		switch {
		case r == ' ':
			b.WriteByte('-')
		case r == '-' || r == '_' || unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r):
			b.WriteRune(r)
		}
	}
	base := b.String()
	slug := base
	for {
		if _, taken := s.seen[slug]; !taken {
			break
		}
		s.seen[base]++
		slug = base + "-" + strconv.Itoa(s.seen[base])
	}
	s.seen[slug] = 0
	return slug
}

// normalize tidies rendered Markdown: no trailing spaces, no runs of blank lines outside
// code blocks, no blank lines at the start, exactly one final newline.
func normalize(md string) string {
	lines := strings.Split(md, "\n")
	out := make([]string, 0, len(lines))
	fence := 0 // the length of the open code fence, 0 outside code blocks
	for _, line := range lines {
		line = strings.TrimRight(line, " \t")
		trimmed := strings.TrimLeft(line, " ")
		n := len(trimmed) - len(strings.TrimLeft(trimmed, "`"))
		switch {
		case fence == 0 && n >= 3:
			fence = n
		case fence > 0 && n >= fence && n == len(trimmed):
			fence = 0
		case fence == 0 && line == "" && (len(out) == 0 || out[len(out)-1] == ""):
			continue
		}
		out = append(out, line)
	}
	for len(out) > 0 && out[len(out)-1] == "" {
		out = out[:len(out)-1]
	}
	return strings.Join(out, "\n") + "\n"
}

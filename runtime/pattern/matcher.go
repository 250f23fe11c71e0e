package pattern

import (
	"runtime"
	"sync"
	"sync/atomic"
)

// Matcher matches events against many named patterns at once. Patterns are compiled into
// one index keyed by field path, so the cost of Match grows with the size of the event and
// the number of patterns it matches, not with the number of patterns added.
//
// A Matcher is safe for concurrent use: any number of goroutines may call Match while
// others call Add and Remove, and Match never waits for them. The Matcher keeps two copies
// of its index (the left-right technique): Add and Remove change the copy no Match reads,
// switch new Matches over to it, wait until the Matches still reading the other copy have
// finished, and then make the same change there. Changes are serialised among themselves.
type Matcher struct {
	mu   sync.Mutex // serialises Add and Remove
	idx  [2]*index
	read atomic.Int32 // which copy Match reads

	// version selects the read indicator new Matches announce themselves in; the writer
	// flips it to tell the Matches that started before a switch from those that started
	// after it.
	version atomic.Int32
	readers [2]paddedCounter
}

// paddedCounter is a counter on its own cache line, so that the two read indicators do
// not slow each other down.
type paddedCounter struct {
	n atomic.Int64
	_ [56]byte
}

// NewMatcher returns an empty Matcher.
func NewMatcher() *Matcher {
	return &Matcher{idx: [2]*index{newIndex(), newIndex()}}
}

// beginRead announces a reader and returns the copy it may read and the token endRead
// needs.
func (m *Matcher) beginRead() (*index, int32) {
	v := m.version.Load()
	m.readers[v].n.Add(1)
	return m.idx[m.read.Load()], v
}

func (m *Matcher) endRead(v int32) { m.readers[v].n.Add(-1) }

// write applies change to both copies without ever blocking a reader. The caller holds mu.
func (m *Matcher) write(change func(x *index)) {
	r := m.read.Load()
	change(m.idx[1-r]) // no reader is on this copy: the last write drained it
	m.read.Store(1 - r)
	// Readers that started before the switch may still be on copy r. Wait for both read
	// indicators to drain, flipping version in between so that new readers (which read
	// copy 1-r) cannot keep the wait going forever.
	prev := m.version.Load()
	next := 1 - prev
	waitZero(&m.readers[next].n)
	m.version.Store(next)
	waitZero(&m.readers[prev].n)
	change(m.idx[r])
}

func waitZero(n *atomic.Int64) {
	for n.Load() != 0 {
		runtime.Gosched()
	}
}

// Add compiles pattern and registers it under name, replacing any pattern of that name.
// An invalid pattern returns Compile's error and leaves the Matcher unchanged.
func (m *Matcher) Add(name string, pattern []byte) error {
	branches, err := compileBranches(pattern)
	if err != nil {
		return err
	}
	m.set(name, branches)
	return nil
}

// AddPattern registers a compiled pattern under name, replacing any pattern of that name.
func (m *Matcher) AddPattern(name string, p *Pattern) {
	m.set(name, p.branches)
}

func (m *Matcher) set(name string, branches []*branch) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.write(func(x *index) {
		x.remove(name)
		x.add(name, branches)
	})
}

// Remove unregisters the pattern of that name; it does nothing when there is none.
func (m *Matcher) Remove(name string) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.write(func(x *index) { x.remove(name) })
}

// Len returns the number of patterns registered.
func (m *Matcher) Len() int {
	x, v := m.beginRead()
	defer m.endRead(v)
	return len(x.byName)
}

// Match returns the names of all patterns the event matches, sorted, or nil when none
// does. It returns an error only when the event is not a JSON object (malformed JSON and
// nesting deeper than MaxDepth included); the error is an *EventError.
func (m *Matcher) Match(event []byte) ([]string, error) {
	x, v := m.beginRead()
	defer m.endRead(v)
	return x.match(event)
}

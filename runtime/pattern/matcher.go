package pattern

import "sync"

// Matcher matches events against many named patterns at once. Patterns are compiled into
// one index keyed by field path, so the cost of Match grows with the size of the event and
// the number of patterns it could match, not with the number of patterns added.
//
// A Matcher is safe for concurrent use: any number of goroutines may call Match while
// others call Add and Remove. Match takes a read lock; Add and Remove take the write lock
// for the short time it takes to update the index incrementally.
type Matcher struct {
	mu  sync.RWMutex
	idx *index
}

// NewMatcher returns an empty Matcher.
func NewMatcher() *Matcher {
	return &Matcher{idx: newIndex()}
}

// Add compiles pattern and registers it under name, replacing any pattern of that name.
// An invalid pattern returns Compile's error and leaves the Matcher unchanged.
func (m *Matcher) Add(name string, pattern []byte) error {
	branches, err := compileBranches(pattern)
	if err != nil {
		return err
	}
	m.mu.Lock()
	m.idx.remove(name)
	m.idx.add(name, branches)
	m.mu.Unlock()
	return nil
}

// AddPattern registers a compiled pattern under name, replacing any pattern of that name.
func (m *Matcher) AddPattern(name string, p *Pattern) {
	m.mu.Lock()
	m.idx.remove(name)
	m.idx.add(name, p.branches)
	m.mu.Unlock()
}

// Remove unregisters the pattern of that name; it does nothing when there is none.
func (m *Matcher) Remove(name string) {
	m.mu.Lock()
	m.idx.remove(name)
	m.mu.Unlock()
}

// Len returns the number of patterns registered.
func (m *Matcher) Len() int {
	m.mu.RLock()
	defer m.mu.RUnlock()
	return len(m.idx.byName)
}

// Match returns the names of all patterns the event matches, sorted, or nil when none
// does. It returns an error only when the event is not a JSON object (malformed JSON and
// nesting deeper than MaxDepth included); the error is an *EventError.
func (m *Matcher) Match(event []byte) ([]string, error) {
	m.mu.RLock()
	defer m.mu.RUnlock()
	return m.idx.match(event)
}

package sqlite

import (
	"encoding/binary"
	"errors"

	"github.com/eventgen/eventgen/runtime/event"
	"github.com/eventgen/eventgen/runtime/store"
)

// The head column packs an envelope's fields apart from Data into one blob, so that reading a
// row costs a few column calls instead of fifteen: a uvarint-length-prefixed string for each
// of headFields, then the timestamp as a varint of Unix nanoseconds.

// headFields returns pointers to e's string fields in head order.
func headFields(e *event.Envelope) [9]*string {
	m := &e.Metadata
	return [9]*string{&e.EventID, &e.EventType, &e.Version, &e.Source, &m.UserID, &m.OrganizationID,
		&m.TenantID, &m.CorrelationID, &m.CausationID}
}

// encodeHead appends e's head to buf.
func encodeHead(buf []byte, e *event.Envelope) []byte {
	for _, f := range headFields(e) {
		buf = binary.AppendUvarint(buf, uint64(len(*f)))
		buf = append(buf, *f...)
	}
	buf = binary.AppendUvarint(buf, uint64(len(e.Metadata.TraceParent)))
	buf = append(buf, e.Metadata.TraceParent...)
	return binary.AppendVarint(buf, store.UnixNano(e.Timestamp))
}

var errBadHead = errors.New("corrupt head column")

// decodeHead fills e from a head blob.
func decodeHead(b []byte, e *event.Envelope) error {
	str := func() (string, bool) {
		n, k := binary.Uvarint(b)
		if k <= 0 || uint64(len(b)-k) < n {
			return "", false
		}
		s := string(b[k : k+int(n)])
		b = b[k+int(n):]
		return s, true
	}
	var ok bool
	for _, f := range headFields(e) {
		if *f, ok = str(); !ok {
			return errBadHead
		}
	}
	if e.Metadata.TraceParent, ok = str(); !ok {
		return errBadHead
	}
	ts, k := binary.Varint(b)
	if k <= 0 || k != len(b) {
		return errBadHead
	}
	e.Timestamp = store.FromUnixNano(ts)
	return nil
}

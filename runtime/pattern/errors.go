package pattern

import "errors"

// Error is the error Compile returns for a pattern that AWS EventBridge would reject.
// Its text is AWS's: "Event pattern is not valid. Reason: " followed by the reason AWS
// gives, for example `"int" must be an object or an array`.
type Error struct {
	// Reason is the part of the message after "Reason: ", worded as AWS words it.
	Reason string
	// Offset is the byte offset in the pattern near which the problem was found.
	Offset int
}

// Error returns the message in AWS's wording.
func (e *Error) Error() string {
	return "Event pattern is not valid. Reason: " + e.Reason
}

// ErrNotObject is returned (wrapped) by Match when the event is not a JSON object.
var ErrNotObject = errors.New("pattern: event is not a JSON object")

// EventError is the error Match returns for an event it cannot read: not a JSON object,
// malformed JSON, or nested deeper than MaxDepth.
type EventError struct {
	// Reason says what is wrong with the event.
	Reason string
	// Offset is the byte offset in the event where the problem was found.
	Offset int
}

// Error returns a message naming the problem and its offset.
func (e *EventError) Error() string {
	return "pattern: invalid event at offset " + itoa(e.Offset) + ": " + e.Reason
}

// Is reports whether target is ErrNotObject, which every EventError matches: an event that
// cannot be read as JSON is not a JSON object.
func (e *EventError) Is(target error) bool { return target == ErrNotObject }

func itoa(n int) string {
	if n == 0 {
		return "0"
	}
	var b [20]byte
	i := len(b)
	neg := n < 0
	if neg {
		n = -n
	}
	for n > 0 {
		i--
		b[i] = byte('0' + n%10)
		n /= 10
	}
	if neg {
		i--
		b[i] = '-'
	}
	return string(b[i:])
}

// Package domain holds ClientFlow's entities, validation rules and the one application error type.
// It imports nothing but the standard library.
package domain

import (
	"errors"
	"fmt"
	"strings"
)

// Error codes: stable strings clients can switch on. The HTTP layer maps each to one status.
const (
	ECONFLICT        = "conflict"
	EINTERNAL        = "internal"
	EINVALID         = "validation_failed"
	ENOTFOUND        = "not_found"
	EUNAUTHENTICATED = "unauthenticated"
	EFORBIDDEN       = "forbidden"
	ERATELIMITED     = "rate_limited"
)

// FieldError names one invalid input field, e.g. Field "body.email".
type FieldError struct {
	Field   string
	Message string
}

// Error is the application error: a code, a message safe to show a user, and optional field errors.
type Error struct {
	Code    string
	Message string
	Fields  []FieldError
	// Quota details a plan_limit_reached error.
	Quota *Quota
	// Feature details a plan_feature_unavailable error.
	Feature *FeatureGap
	// Permission is the permission a forbidden error's request needed (see Refusal); empty otherwise.
	Permission Permission
}

// Error implements the error interface.
func (e *Error) Error() string {
	return fmt.Sprintf("clientflow error: code=%s message=%s", e.Code, e.Message)
}

// Errorf returns an application error with the given code and formatted message.
func Errorf(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// Invalid returns a validation error for one field.
func Invalid(field, message string) *Error {
	return &Error{Code: EINVALID, Message: "The request is invalid.", Fields: []FieldError{{Field: field, Message: message}}}
}

// ErrorCode returns the code of an application error, or of a database error a client's input caused
// (see databaseError); EINTERNAL for any other non-nil error.
func ErrorCode(err error) string {
	var e *Error
	if err == nil {
		return ""
	} else if errors.As(err, &e) {
		return e.Code
	} else if e := databaseError(err); e != nil {
		return e.Code
	}
	return EINTERNAL
}

// ErrorMessage returns the user-safe message of an application error, "internal error" otherwise.
func ErrorMessage(err error) string {
	var e *Error
	if err == nil {
		return ""
	} else if errors.As(err, &e) {
		return e.Message
	} else if e := databaseError(err); e != nil {
		return e.Message
	}
	return "internal error"
}

// sqlStater is a database driver's error carrying its SQLSTATE (pgconn.PgError is one), seen through an
// interface so that domain imports no driver.
type sqlStater interface{ SQLState() string }

// databaseError is the last line of defence behind input validation: a database error that only bad data
// can cause becomes a client error instead of a 500. Class 22 (data exception: out-of-range numbers and
// dates, invalid text encoding, NUL bytes) and class 23 (integrity constraint violations) are the
// client's; a unique violation is a conflict, the rest of class 23 (check, not-null, foreign key) invalid
// input; a deadlock or serialization failure (class 40) a conflict to retry. Any other SQLSTATE (connection, resources, our own SQL) stays internal and returns nil.
func databaseError(err error) *Error {
	var se sqlStater
	if !errors.As(err, &se) {
		return nil
	}
	state := se.SQLState()
	switch {
	case state == "23505":
		return Errorf(ECONFLICT, "That already exists.")
	case strings.HasPrefix(state, "22"), strings.HasPrefix(state, "23"):
		return Errorf(EINVALID, "The request is invalid.")
	case state == "40P01", state == "40001":
		// A deadlock or serialization failure aborted the transaction for a concurrent one: nothing was
		// written, and the same request again will succeed. Where it is expected (moves) the store retries.
		return Errorf(ECONFLICT, "Another change collided with this one at the same moment. Nothing was saved; please try again.")
	}
	return nil
}

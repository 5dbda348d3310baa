// Package domain holds ClientFlow's entities, validation rules and the one application error type.
// It imports nothing but the standard library.
package domain

import (
	"errors"
	"fmt"
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

// ErrorCode returns the code of an application error, EINTERNAL for any other non-nil error.
func ErrorCode(err error) string {
	var e *Error
	if err == nil {
		return ""
	} else if errors.As(err, &e) {
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
	}
	return "internal error"
}

package domain

import "time"

// MyWork is a member's home page: the open tasks assigned to them, their time today and their recent
// mentions.
type MyWork struct {
	Tasks []*MyTask
	// TasksTruncated reports that more open tasks are assigned than Tasks holds.
	TasksTruncated bool
	// TodayMinutes is the time of the stopped entries started since the day's start (a running timer is not
	// in it: its clock runs in the client).
	TodayMinutes int
	// Timer is the running timer, or nil.
	Timer    *TimeEntry
	Mentions []*Notification
}

// MyTask is an open task as the home page lists it.
type MyTask struct {
	ID          string
	ProjectID   string
	ProjectName string
	Number      int
	Title       string
	ColumnName  string
	Priority    string
	DueDate     *time.Time
}

// MyWorkQuery says what the home page reads: TaskLimit open tasks, the time since DayStart (only WithTime,
// for those who may read time), and MentionLimit mentions.
type MyWorkQuery struct {
	DayStart     time.Time
	TaskLimit    int
	MentionLimit int
	WithTime     bool
}

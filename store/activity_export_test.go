package store

import "github.com/clientflow/clientflow/domain"

// ActivityPageSQL is the feed's first-page statement, for the plan test in package store_test.
func ActivityPageSQL(orgID string, v domain.Viewer, f domain.ActivityFilter) (string, []any) {
	return activityQuery(orgID, v, f, "", f.Limit+1)
}

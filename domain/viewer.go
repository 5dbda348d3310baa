package domain

// Viewer is who reads or changes work data. Project visibility depends on the role: owners, admins and
// managers see every project; members and clients see only the projects they are members of.
type Viewer struct {
	UserID string
	Role   string
}

// SeesAllProjects reports whether the viewer's role sees every project of the organization.
func (v Viewer) SeesAllProjects() bool {
	return v.Role == RoleOwner || v.Role == RoleAdmin || v.Role == RoleManager
}

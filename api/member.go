package api

import (
	"context"
	"net/http"
	"strconv"
	"time"

	"github.com/danielgtaylor/huma/v2"

	"github.com/clientflow/clientflow/domain"
	"github.com/clientflow/clientflow/store"
)

// Member is one person in an organization as the team screens show them.
type Member struct {
	ID       string    `json:"id" format:"uuid" doc:"Membership ID (what member routes address)."`
	UserID   string    `json:"user_id" format:"uuid"`
	Name     string    `json:"name"`
	Email    string    `json:"email"`
	Initials string    `json:"initials" doc:"Up to two letters for the avatar."`
	Role     string    `json:"role" enum:"owner,admin,manager,member,client"`
	Status   string    `json:"status" enum:"active,suspended"`
	ClientID *string   `json:"client_id" format:"uuid" nullable:"true" doc:"The client a contact (role client) belongs to; null for staff."`
	JoinedAt time.Time `json:"joined_at"`
}

func memberFrom(m *domain.Member) Member {
	return Member{ID: m.ID, UserID: m.UserID, Name: m.Name, Email: m.Email, Initials: domain.Initials(m.Name),
		Role: m.Role, Status: m.Status, ClientID: optional(m.ClientID), JoinedAt: m.JoinedAt}
}

// MemberList is every member of an organization.
type MemberList struct {
	Data []Member `json:"data"`
}

// MemberRoleChange gives a member another role (never owner: ownership is transferred).
type MemberRoleChange struct {
	Role string `json:"role" enum:"admin,manager,member,client"`
}

// MemberStatusChange suspends or reactivates a member.
type MemberStatusChange struct {
	Status string `json:"status" enum:"active,suspended"`
}

// MemberPath addresses one member of an organization.
type MemberPath struct {
	OrgID    string `path:"org_id" format:"uuid" doc:"Organization ID."`
	MemberID string `path:"member_id" format:"uuid" doc:"Membership ID."`
}

func (s *Server) registerMembers() {
	tags := []string{"Members"}
	base := "/api/v1/orgs/{org_id}/members"
	errs := []int{http.StatusUnauthorized, http.StatusForbidden, http.StatusNotFound}
	huma.Register(s.api, huma.Operation{
		OperationID: "list-members", Method: http.MethodGet, Path: base, Tags: tags, Security: security,
		Extensions: requires(domain.PermMembersRead), Summary: "List members", Errors: errs,
	}, s.listMembers)
	huma.Register(s.api, huma.Operation{
		OperationID: "change-member-role", Method: http.MethodPut, Path: base + "/{member_id}/role", Tags: tags,
		Security: security, Extensions: requires(domain.PermMembersManage),
		Summary:     "Change a member's role",
		Description: "Nobody can be made owner here, the owner's role cannot change, and nobody changes their own role.",
		Errors:      append(errs, http.StatusUnprocessableEntity),
	}, s.changeMemberRole)
	huma.Register(s.api, huma.Operation{
		OperationID: "change-member-status", Method: http.MethodPut, Path: base + "/{member_id}/status", Tags: tags,
		Security: security, Extensions: requires(domain.PermMembersManage),
		Summary:     "Suspend or reactivate a member",
		Description: "A suspended member's requests to the organization answer 404 until reactivated.",
		Errors:      append(errs, http.StatusUnprocessableEntity),
	}, s.changeMemberStatus)
	huma.Register(s.api, huma.Operation{
		OperationID: "remove-member", Method: http.MethodDelete, Path: base + "/{member_id}", Tags: tags,
		Security: security, Extensions: requires(domain.PermMembersManage), DefaultStatus: http.StatusNoContent,
		Summary: "Remove a member (not the owner, not yourself)", Errors: errs,
	}, s.removeMember)
}

type memberOutput struct{ Body Member }

func (s *Server) listMembers(ctx context.Context, in *OrgPath) (*struct{ Body MemberList }, error) {
	ms, err := s.db.Members(ctx, in.OrgID)
	if err != nil {
		return nil, problem(ctx, err)
	}
	out := MemberList{Data: make([]Member, len(ms))}
	for i, m := range ms {
		out.Data[i] = memberFrom(m)
	}
	return &struct{ Body MemberList }{Body: out}, nil
}

func (s *Server) changeMemberRole(ctx context.Context, in *struct {
	MemberPath
	Body MemberRoleChange
}) (*memberOutput, error) {
	actor := principalFrom(ctx).User.ID
	var m *domain.Member
	var mail []queuedEmail
	err := s.db.Atomically(ctx, in.OrgID, actor, func(ctx context.Context) (err error) {
		before := ""
		m, err = s.updateMember(ctx, in.MemberPath, func(m *domain.Member) error {
			before = m.Role
			return m.ChangeRole(actor, in.Body.Role)
		})
		if err != nil || before == m.Role {
			return err
		}
		if err := s.db.RecordAudit(ctx, in.OrgID, memberAudit(m, domain.AuditMemberRoleChanged,
			domain.AuditChange(map[string]any{"role": before}, map[string]any{"role": m.Role}))); err != nil {
			return err
		}
		mail, err = s.queueMemberEmail(ctx, in.OrgID, m, "member-role-changed", domain.EmailMemberRoleChanged)
		return err
	})
	if err != nil {
		return nil, problem(ctx, err)
	}
	s.sendQueued(ctx, mail)
	return &memberOutput{Body: memberFrom(m)}, nil
}

func (s *Server) changeMemberStatus(ctx context.Context, in *struct {
	MemberPath
	Body MemberStatusChange
}) (*memberOutput, error) {
	actor := principalFrom(ctx).User.ID
	var m *domain.Member
	var mail []queuedEmail
	err := s.db.Atomically(ctx, in.OrgID, actor, func(ctx context.Context) (err error) {
		before := ""
		m, err = s.updateMember(ctx, in.MemberPath, func(m *domain.Member) error {
			before = m.Status
			return m.SetStatus(actor, in.Body.Status)
		})
		if err == nil && before != m.Status {
			action := domain.AuditMemberReactivated
			if m.Status == domain.MemberSuspended {
				action = domain.AuditMemberSuspended
			}
			err = s.db.RecordAudit(ctx, in.OrgID, memberAudit(m, action,
				domain.AuditChange(map[string]any{"status": before}, map[string]any{"status": m.Status})))
		}
		switch {
		case err != nil || before == m.Status:
		case m.Status == domain.MemberSuspended:
			mail, err = s.queueMemberEmail(ctx, in.OrgID, m, "membership-suspended", domain.EmailMembershipSuspended)
		default:
			mail, err = s.queueMemberEmail(ctx, in.OrgID, m, "membership-reactivated", domain.EmailMembershipStatusChanged)
		}
		return err
	})
	if err != nil {
		return nil, problem(ctx, err)
	}
	s.sendQueued(ctx, mail)
	return &memberOutput{Body: memberFrom(m)}, nil
}

// memberAudit is the audit row of a change to member m (entity: the member's user).
func memberAudit(m *domain.Member, action string, meta map[string]any) domain.AuditEntry {
	meta["membership_id"], meta["name"], meta["email"] = m.ID, m.Name, m.Email
	return domain.AuditEntry{Action: action, EntityType: "member", EntityID: m.UserID, Metadata: meta}
}

// updateMember applies change to a member in one transaction, refusing it unless the member's role before
// and after the change stays within the acting member's reach (see withinReach).
func (s *Server) updateMember(ctx context.Context, path MemberPath, change func(*domain.Member) error) (*domain.Member, error) {
	p := principalFrom(ctx)
	sets, err := s.db.RolePermissionSets(ctx, path.OrgID)
	if err != nil {
		return nil, err
	}
	return s.db.UpdateMember(ctx, path.OrgID, path.MemberID, func(m *domain.Member) error {
		before := m.Role
		if err := change(m); err != nil {
			return err
		}
		return withinReach(p.Permissions, sets, before, m.Role)
	})
}

func (s *Server) removeMember(ctx context.Context, in *MemberPath) (*struct{}, error) {
	p := principalFrom(ctx)
	sets, err := s.db.RolePermissionSets(ctx, in.OrgID)
	if err != nil {
		return nil, problem(ctx, err)
	}
	_, err = s.db.RemoveMember(ctx, in.OrgID, p.User.ID, in.MemberID, func(m *domain.Member) error {
		if err := m.CheckRemovable(p.User.ID); err != nil {
			return err
		}
		return withinReach(p.Permissions, sets, m.Role)
	})
	if err != nil {
		return nil, problem(ctx, err)
	}
	return &struct{}{}, nil
}

// withinReach refuses, as forbidden, acting on a member with any of roles when that role holds a
// permission the actor lacks: a role is a bundle of permissions, so members.manage alone must not make
// anyone an admin, nor suspend, reactivate, demote or remove someone who holds more than the actor.
func withinReach(actor []domain.Permission, sets []store.RolePermissionSet, roles ...string) error {
	for _, role := range roles {
		if err := domain.CheckGrantable(actor, nil, rolePermissions(sets, role)); err != nil {
			return err
		}
	}
	return nil
}

// rolePermissions is role's permission set among sets (an organization's, see store.RolePermissionSets).
func rolePermissions(sets []store.RolePermissionSet, role string) []domain.Permission {
	for _, set := range sets {
		if set.Role == role {
			return set.Permissions
		}
	}
	return nil
}

// queueMemberEmail queues, in the membership change's transaction, an email telling the member about the
// change, once per change (the key carries the membership's update time).
func (s *Server) queueMemberEmail(ctx context.Context, orgID string, m *domain.Member, kind, template string) ([]queuedEmail, error) {
	org, err := s.db.Organization(ctx, orgID)
	if err != nil {
		return nil, err
	}
	return s.queueEmails(ctx, domain.EmailRequest{
		Key:      kind + "/" + m.ID + "/" + strconv.FormatInt(m.UpdatedAt.UnixMicro(), 10),
		To:       m.Email,
		Template: template,
		Data:     map[string]string{"Name": m.Name, "OrgName": org.Name, "Role": m.Role},
	})
}

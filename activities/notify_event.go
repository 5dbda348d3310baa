package activities

import (
	"context"
	"fmt"
	"maps"
	"slices"

	"github.com/clientflow/clientflow/domain"
	"github.com/clientflow/clientflow/store"
)

// notificationPlan is one notification an event asks for and who it is meant for.
type notificationPlan struct {
	n        domain.Notification
	audience store.Audience
}

// planner decides what one event tells whom, most specific first (see NotifyEvent). It may read what the
// event refers to but never who receives it: that is the caller's one query per plan.
type planner func(a *Activities, ctx context.Context, orgID string, ev *domain.Activity, in planInput) ([]notificationPlan, error)

// planInput is what every planner starts from: the notification's common fields, the actor's display
// name, and who must never hear of it (the actor).
type planInput struct {
	base  domain.Notification
	actor string
	never []string
}

// planners holds the event types that can notify anyone. Every other type (time entries, clients,
// templates, projects, completions...) notifies nobody: NotifyEvents does not even read those events, and
// a planner returns no plan, before any query, when the payload says nobody is concerned (a card reordered
// within its column, a title edit, a project file).
var planners = map[string]planner{
	domain.EventTaskCreated:    pure(taskChangePlans),
	domain.EventTaskUpdated:    pure(taskChangePlans),
	domain.EventCommentCreated: (*Activities).taskActivityPlans,
	domain.EventTaskMentioned:  (*Activities).taskActivityPlans,
	domain.EventFileUploaded:   (*Activities).taskActivityPlans,
	domain.EventTaskDueSoon:    pure(duePlans),
	domain.EventTaskOverdue:    pure(duePlans),
	domain.EventMemberAdded:    pure(memberPlans),
	domain.EventInvoicePaid:    pure(invoicePlans),
	domain.EventInvoiceOverdue: pure(invoicePlans),

	domain.EventClientPortalEnabled: pure(portalEnabledPlans),
	domain.EventFileShared:          (*Activities).sharedFilePlans,
	domain.EventTaskRequested:       pure(requestedPlans),
}

// pure adapts a planner that needs nothing but the event.
func pure(f func(orgID string, ev *domain.Activity, in planInput) []notificationPlan) planner {
	return func(_ *Activities, _ context.Context, orgID string, ev *domain.Activity, in planInput) ([]notificationPlan, error) {
		return f(orgID, ev, in), nil
	}
}

// notifyingEventTypes lists the planners' event types, the only ones the fan-out reads.
func notifyingEventTypes() []string {
	return slices.Sorted(maps.Keys(planners))
}

// notificationsFor decides what ev tells whom. Events no member needs to hear about ask for nothing.
func (a *Activities) notificationsFor(ctx context.Context, orgID string, ev *domain.Activity) ([]notificationPlan, error) {
	plan, ok := planners[ev.Type]
	if !ok {
		return nil, nil
	}
	in := planInput{base: domain.Notification{ActorID: ev.ActorID, ProjectID: ev.ProjectID, SourceKey: ev.ID},
		actor: ev.ActorName, never: []string{ev.ActorID}}
	if in.actor == "" {
		in.actor = "Someone"
	}
	return plan(a, ctx, orgID, ev, in)
}

// memberPlans tells the owners and admins someone joined (never the newcomer).
func memberPlans(orgID string, ev *domain.Activity, in planInput) []notificationPlan {
	n := in.base
	n.Type, n.EntityType, n.EntityID = domain.NotifyMemberJoined, "member", ev.EntityID
	n.Title = fmt.Sprintf("%s joined the organization", text(ev.Payload, "name", in.actor))
	n.Link = orgPath(orgID, "members")
	return []notificationPlan{{n, store.Audience{Roles: []string{domain.RoleOwner, domain.RoleAdmin}, Exclude: append(in.never, ev.EntityID)}}}
}

// invoicePlans tells those who may read the invoice it was paid, or is overdue.
func invoicePlans(orgID string, ev *domain.Activity, in planInput) []notificationPlan {
	n := in.base
	n.Type, n.EntityType, n.EntityID = domain.NotifyInvoicePaid, "invoice", ev.EntityID
	n.Title = fmt.Sprintf("Invoice #%s was paid", text(ev.Payload, "number", ""))
	if ev.Type == domain.EventInvoiceOverdue {
		n.Type = domain.NotifyInvoiceOverdue
		n.Title = fmt.Sprintf("Invoice #%s is overdue", text(ev.Payload, "number", ""))
	}
	n.Link = orgPath(orgID, "invoices/"+ev.EntityID)
	return []notificationPlan{{n, store.Audience{InvoiceHolders: ev.EntityID, Exclude: in.never}}}
}

// taskChangePlans: new assignees hear they were assigned; the watchers (assignees and creator) hear the
// task changed column.
func taskChangePlans(orgID string, ev *domain.Activity, in planInput) []notificationPlan {
	base, actor, never := in.base, in.actor, in.never
	heading := taskHeading(ev.Payload)
	base.EntityType, base.EntityID, base.Link = "task", ev.EntityID, taskPath(orgID, ev.ProjectID, ev.EntityID)
	var plans []notificationPlan
	if added := ids(ev.Payload["assignees_added"]); len(added) > 0 {
		n := base
		n.Type, n.Title, n.Body = domain.NotifyTaskAssigned, "Assigned to you: "+heading, actor+" assigned this task to you."
		plans = append(plans, notificationPlan{n, store.Audience{UserIDs: added, Exclude: never}})
	}
	if to := text(ev.Payload, "column_to", ""); ev.Type == domain.EventTaskUpdated && to != "" {
		n := base
		n.Type, n.Title = domain.NotifyTaskStatusChanged, heading+" moved to "+to
		n.Body = fmt.Sprintf("%s moved it from %s to %s.", actor, text(ev.Payload, "column_from", "another column"), to)
		if done, _ := ev.Payload["completed"].(bool); done {
			n.Title, n.Body = heading+" is done", fmt.Sprintf("%s completed it (moved to %s).", actor, to)
		}
		plans = append(plans, notificationPlan{n, store.Audience{Task: ev.EntityID, TaskCreator: true, Exclude: never}})
		// The requester of a portal request sees it move (no one when the task is no request).
		r := base
		r.Type, r.Link = domain.NotifyRequestUpdated, portalTaskPath(orgID, ev.ProjectID, ev.EntityID)
		r.Title = fmt.Sprintf("Your request “%s” moved to %s", text(ev.Payload, "title", ""), to)
		r.Body = fmt.Sprintf("%s moved it from %s to %s.", actor, text(ev.Payload, "column_from", "another column"), to)
		if done, _ := ev.Payload["completed"].(bool); done {
			r.Title = fmt.Sprintf("Your request “%s” is done", text(ev.Payload, "title", ""))
			r.Body = fmt.Sprintf("%s completed it (moved to %s).", actor, to)
		}
		plans = append(plans, notificationPlan{r, store.Audience{RequesterOf: ev.EntityID, Exclude: never}})
	}
	return plans
}

// taskActivityPlans covers what happens on a task without changing it: a comment, a mention, a file.
func (a *Activities) taskActivityPlans(ctx context.Context, orgID string, ev *domain.Activity, in planInput) ([]notificationPlan, error) {
	base, actor, never := in.base, in.actor, in.never
	taskID := text(ev.Payload, "task_id", "")
	if ev.Type == domain.EventTaskMentioned {
		taskID = ev.EntityID
	}
	if taskID == "" {
		return nil, nil // a file of the project, not of a task
	}
	t, err := a.DB.FanOutTask(ctx, orgID, taskID)
	if domain.ErrorCode(err) == domain.ENOTFOUND {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	heading := fmt.Sprintf("#%d %s", t.Number, t.Title)
	n := base
	n.EntityType, n.EntityID, n.Link = "task", taskID, taskPath(orgID, t.ProjectID, taskID)
	watchers := store.Audience{Task: taskID, TaskCreator: true, Exclude: never}
	switch ev.Type {
	case domain.EventCommentCreated:
		n.Type, n.Title, n.Body = domain.NotifyCommentAdded, "New comment on "+heading, actor+" commented on this task."
		// Those the comment mentions get the mention instead (its own event).
		watchers.Exclude = append(watchers.Exclude, ids(ev.Payload["mentions"])...)
	case domain.EventTaskMentioned:
		n.Type, n.Title, n.Body = domain.NotifyMentioned, actor+" mentioned you on "+heading, actor+" mentioned you in a comment."
		if text(ev.Payload, "in", "") == "description" {
			n.Body = actor + " mentioned you in the task's description."
		}
		watchers = store.Audience{UserIDs: []string{text(ev.Payload, "mentioned_user_id", "")}, Exclude: never}
	case domain.EventFileUploaded:
		n.Type, n.Title = domain.NotifyAttachmentAdded, "New attachment on "+heading
		n.Body = fmt.Sprintf("%s attached %s.", actor, text(ev.Payload, "name", "a file"))
	}
	plans := []notificationPlan{{n, watchers}}
	if ev.Type == domain.EventCommentCreated && t.RequesterID != "" && t.RequesterID != ev.ActorID {
		reply, err := a.requestReplyPlan(ctx, orgID, ev, in, taskID, t)
		if err != nil {
			return nil, err
		}
		plans = append(plans, reply...)
	}
	return plans, nil
}

// requestReplyPlan tells the requester of a portal request that the team replied: only for a comment a
// staff member wrote that is not internal (an internal note never reaches a contact, and one contact's
// comment is the team's news, not another contact's).
func (a *Activities) requestReplyPlan(ctx context.Context, orgID string, ev *domain.Activity, in planInput, taskID string,
	t *store.TaskHeading) ([]notificationPlan, error) {
	c, err := a.DB.FanOutComment(ctx, orgID, ev.EntityID)
	if domain.ErrorCode(err) == domain.ENOTFOUND {
		return nil, nil
	}
	if err != nil || c.Internal || c.ByContact {
		return nil, err
	}
	n := in.base
	n.Type, n.EntityType, n.EntityID = domain.NotifyRequestUpdated, "task", taskID
	n.Title = fmt.Sprintf("New reply on your request “%s”", t.Title)
	n.Body = in.actor + " replied to your request."
	n.Link = portalTaskPath(orgID, t.ProjectID, taskID)
	return []notificationPlan{{n, store.Audience{RequesterOf: taskID, Exclude: in.never}}}, nil
}

// portalEnabledPlans tells a client's contacts their portal is open.
func portalEnabledPlans(orgID string, ev *domain.Activity, in planInput) []notificationPlan {
	clientID := text(ev.Payload, "client_id", ev.EntityID)
	n := in.base
	n.Type, n.EntityType, n.EntityID, n.ProjectID = domain.NotifyPortalEnabled, "client", clientID, ""
	n.Title = "Your client portal is open"
	n.Body = "Follow your projects, download the files shared with you, see your invoices and send requests to the team."
	n.Link = portalPath(orgID, "")
	return []notificationPlan{{n, store.Audience{ClientContacts: clientID, Exclude: in.never}}}
}

// sharedFilePlans tells the contacts of a project's client a file was shared with them, when it still is
// (the project must be shared with the portal, and the client's portal enabled: the audience's rule).
func (a *Activities) sharedFilePlans(ctx context.Context, orgID string, ev *domain.Activity, in planInput) ([]notificationPlan, error) {
	fileID := text(ev.Payload, "file_id", ev.EntityID)
	f, err := a.DB.FanOutSharedFile(ctx, orgID, fileID)
	if domain.ErrorCode(err) == domain.ENOTFOUND {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	n := in.base
	n.Type, n.EntityType, n.EntityID, n.ProjectID = domain.NotifySharedFile, "file", fileID, f.ProjectID
	n.Title = "New file: " + f.Name
	n.Body = fmt.Sprintf("%s shared %s with you.", in.actor, f.Name)
	n.Link = portalPath(orgID, "files?project="+f.ProjectID)
	return []notificationPlan{{n, store.Audience{ProjectContacts: true, Exclude: in.never}}}, nil
}

// requestedPlans tells the team who may see the project that a client contact sent a request.
func requestedPlans(orgID string, ev *domain.Activity, in planInput) []notificationPlan {
	taskID := text(ev.Payload, "task_id", ev.EntityID)
	projectID := text(ev.Payload, "project_id", ev.ProjectID)
	n := in.base
	n.Type, n.EntityType, n.EntityID, n.ProjectID = domain.NotifyPortalRequest, "task", taskID, projectID
	n.Title = "New request: " + text(ev.Payload, "title", "")
	n.Body = in.actor + " sent it from the client portal."
	n.Link = taskPath(orgID, projectID, taskID)
	return []notificationPlan{{n, store.Audience{ProjectTeam: true, Exclude: append(in.never, text(ev.Payload, "requester_id", ""))}}}
}

// duePlans tells a task's assignees it is due within a day, or overdue (raised by the due-date sweep).
func duePlans(orgID string, ev *domain.Activity, in planInput) []notificationPlan {
	n := in.base
	heading := taskHeading(ev.Payload)
	n.EntityType, n.EntityID, n.Link = "task", ev.EntityID, taskPath(orgID, ev.ProjectID, ev.EntityID)
	due := text(ev.Payload, "due_date", "")
	n.Type, n.Title, n.Body = domain.NotifyTaskDueSoon, heading+" is due soon", "It is due on "+due+"."
	if ev.Type == domain.EventTaskOverdue {
		n.Type, n.Title, n.Body = domain.NotifyTaskOverdue, heading+" is overdue", "It was due on "+due+"."
	}
	return []notificationPlan{{n, store.Audience{Task: ev.EntityID}}}
}

func taskHeading(p map[string]any) string {
	return fmt.Sprintf("#%s %s", text(p, "number", "?"), text(p, "title", ""))
}

func taskPath(orgID, projectID, taskID string) string {
	return orgPath(orgID, "projects/"+projectID+"/board?task="+taskID)
}

func orgPath(orgID, rest string) string { return "/orgs/" + orgID + "/" + rest }

// portalPath is a path of the client portal, where contacts' notifications lead.
func portalPath(orgID, rest string) string {
	if rest == "" {
		return "/client-portal/" + orgID
	}
	return "/client-portal/" + orgID + "/" + rest
}

func portalTaskPath(orgID, projectID, taskID string) string {
	return portalPath(orgID, "projects/"+projectID+"/tasks/"+taskID)
}

// text reads a payload value as text (numbers decode from JSON as float64), or def when absent.
func text(p map[string]any, key, def string) string {
	switch v := p[key].(type) {
	case string:
		if v != "" {
			return v
		}
	case float64:
		return fmt.Sprintf("%.0f", v)
	}
	return def
}

// ids reads a payload list of ids (a JSON array decodes as []any).
func ids(v any) []string {
	list, _ := v.([]any)
	out := make([]string, 0, len(list))
	for _, x := range list {
		if s, ok := x.(string); ok {
			out = append(out, s)
		}
	}
	return out
}

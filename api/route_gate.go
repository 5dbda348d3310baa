package api

import (
	"slices"

	"github.com/danielgtaylor/huma/v2"

	"github.com/clientflow/clientflow/domain"
)

// Operation extensions that gate organization routes beyond the permission (see routeGate).
const (
	// portalExtension marks a route a client contact may call; every other organization route refuses them.
	portalExtension = "x-portal"
	// featureExtension names the plan feature a route needs (domain.Feature*).
	featureExtension = "x-feature"
)

// portalRoute marks an operation as reachable by client contacts (the portal and the few routes every
// member needs: the organization's branding, notifications, the live stream).
func portalRoute() map[string]any { return map[string]any{portalExtension: true} }

// needsFeature declares the plan feature an operation needs; the OpenAPI document shows it.
func needsFeature(f string) map[string]any { return map[string]any{featureExtension: f} }

// withExtensions merges extension maps (e.g. requires(...) with needsFeature(...)).
func withExtensions(ms ...map[string]any) map[string]any {
	out := map[string]any{}
	for _, m := range ms {
		for k, v := range m {
			out[k] = v
		}
	}
	return out
}

// routeGate applies the organization-route rules the permission check does not cover: a client contact
// reaches only portal routes (a second isolation axis inside the tenant: the staff workspace never answers
// them, whatever permissions their role holds), and a route needing a plan feature answers 402 when the
// organization's plan lacks it. Errors: EFORBIDDEN, EPLANFEATURE.
func routeGate(op *huma.Operation, p *principal) error {
	if p.Role == domain.RoleClient {
		if portal, _ := op.Extensions[portalExtension].(bool); !portal {
			return domain.Errorf(domain.EFORBIDDEN, "Client contacts use the client portal.")
		}
	}
	if f, ok := op.Extensions[featureExtension].(string); ok && !slices.Contains(p.Features, f) {
		return domain.FeatureUnavailable(f)
	}
	return nil
}

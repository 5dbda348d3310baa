package api

// registerAccount registers the signed-in user's own account routes: password, profile, two-factor
// sign-in and sessions, and the sign-in second step.
func (s *Server) registerAccount() {
	s.registerSignIn()
	s.registerPassword()
	s.registerProfile()
	s.registerTwoFactor()
	s.registerAccountSessions()
}

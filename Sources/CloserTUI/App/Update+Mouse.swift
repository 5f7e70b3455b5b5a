import CloserCore

extension Update {
    /// Click to select or focus; wheel to scroll the panel under the pointer.
    static func handleMouse(_ event: MouseEvent, state: inout AppState) -> [AppEffect] {
        guard state.overlay == nil || state.overlay == .sidebar else { return [] }
        let layout = Layout.compute(state)
        guard let panel = layout.panel(atX: event.x, y: event.y) else { return [] }
        switch event.kind {
        case .wheelUp, .wheelDown:
            let step = event.kind == .wheelUp ? -3 : 3
            switch panel {
            case .thread: return scrollThread(by: -step, state: &state)
            case .leads:
                let previous = state.focus
                state.focus = .leads
                defer { state.focus = previous }
                return move(by: step / 3, state: &state)
            default: return []
            }
        case .press:
            if state.searchActive { state.searchActive = false }
            focus(panel, state: &state)
            guard panel == .leads, let rect = layout.leads else { return [] }
            let inner = rect.inset(by: 1)
            let listTop = inner.y + (state.search != nil ? 1 : 0)
            guard event.y >= listTop else { return [] }
            let capacity = max(1, (inner.maxY - listTop) / LeadListView.rowsPerLead)
            let leads = state.visibleLeads
            let top = LeadListView.clampedTop(state, visibleCount: leads.count, capacity: capacity)
            let index = top + (event.y - listTop) / LeadListView.rowsPerLead
            guard index < leads.count else { return [] }
            state.leadListTop = top
            return select(leadId: leads[index].id, state: &state)
        }
    }
}

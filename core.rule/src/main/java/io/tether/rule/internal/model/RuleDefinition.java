package io.tether.rule.internal.model;

import java.util.List;

/**
 * A rule as the user defined it.
 *
 * @param triggered whether the rule should run: false once the user stopped it, so that it stays stopped after a
 *                  platform restart (eKuiper's {@code triggered})
 */
public record RuleDefinition(String id, String sql, List<Action> actions, boolean triggered) {

    public RuleDefinition {
        actions = List.copyOf(actions);
    }

    public RuleDefinition withTriggered(boolean value) {
        return new RuleDefinition(id, sql, actions, value);
    }
}

package io.tether.rule.internal.model;

import java.util.List;

/**
 * A rule as the user defined it.
 *
 * @param triggered whether the rule should run: false once the user stopped it, so that it stays stopped after a
 *                  platform restart (eKuiper's {@code triggered})
 * @param options   {@link RuleOptions#DEFAULT} when the rule gives none (also for rules stored before options)
 */
public record RuleDefinition(String id, String sql, List<Action> actions, boolean triggered, RuleOptions options) {

    public RuleDefinition {
        actions = List.copyOf(actions);
        options = options == null ? RuleOptions.DEFAULT : options;
    }

    public RuleDefinition(String id, String sql, List<Action> actions, boolean triggered) {
        this(id, sql, actions, triggered, RuleOptions.DEFAULT);
    }

    public RuleDefinition withTriggered(boolean value) {
        return new RuleDefinition(id, sql, actions, value, options);
    }
}

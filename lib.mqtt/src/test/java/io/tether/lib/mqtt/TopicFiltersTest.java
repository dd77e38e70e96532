package io.tether.lib.mqtt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

class TopicFiltersTest {

    @Test
    void singleLevelWildcardMatchesExactlyOneLevel() {
        assertTrue(TopicFilters.matches("a/+", "a/b"));
        assertTrue(TopicFilters.matches("a/+", "a/"));
        assertFalse(TopicFilters.matches("a/+", "a/b/c"));
        assertFalse(TopicFilters.matches("a/+", "a"));
        assertTrue(TopicFilters.matches("+/+/c", "a/b/c"));
        assertTrue(TopicFilters.matches("+", "a"));
        assertFalse(TopicFilters.matches("+", "a/b"));
    }

    @Test
    void multiLevelWildcardMatchesTheParentAndEveryLevelBelow() {
        assertTrue(TopicFilters.matches("a/#", "a"));
        assertTrue(TopicFilters.matches("a/#", "a/b"));
        assertTrue(TopicFilters.matches("a/#", "a/b/c"));
        assertFalse(TopicFilters.matches("a/#", "ab"));
        assertFalse(TopicFilters.matches("a/#", "b/a"));
        assertTrue(TopicFilters.matches("#", "a/b"));
        assertTrue(TopicFilters.matches("a/+/#", "a/b"));
    }

    @Test
    void wildcardsAtTheFirstLevelDoNotMatchDollarTopics() {
        assertFalse(TopicFilters.matches("#", "$SYS/broker"));
        assertFalse(TopicFilters.matches("+/broker", "$SYS/broker"));
        assertTrue(TopicFilters.matches("$SYS/#", "$SYS/broker"));
    }

    @Test
    void exactFiltersMatchOnlyTheirTopic() {
        assertTrue(TopicFilters.matches("a/b", "a/b"));
        assertFalse(TopicFilters.matches("a/b", "a/b/c"));
        assertFalse(TopicFilters.matches("a/b", "a"));
    }

    @Test
    void overlapIsSomeTopicMatchingBoth() {
        assertTrue(TopicFilters.overlap("a/+", "a/#"));
        assertTrue(TopicFilters.overlap("a/+/c", "a/b/+"));
        assertTrue(TopicFilters.overlap("a", "a/#"));
        assertTrue(TopicFilters.overlap("a/b", "a/b"));
        assertFalse(TopicFilters.overlap("a/b", "a/c"));
        assertFalse(TopicFilters.overlap("a/+", "a/b/c"));
        assertFalse(TopicFilters.overlap("#", "$SYS/x"));
        assertFalse(TopicFilters.overlap("a/b", "a/b/c"));
    }

    @Test
    void wireSubscriptionsNeverOverlapAndCoverEveryWantedFilter() {
        Map<String, Integer> wanted = new LinkedHashMap<>();
        wanted.put("a/+", 0);
        wanted.put("a/#", 1);
        wanted.put("x/+/z", 1);
        wanted.put("x/y/+", 2);
        wanted.put("q", 0);
        Map<String, Integer> wire = TopicFilters.wireSubscriptions(wanted);
        assertEquals(Map.of("a/#", 1, "x/+/+", 2, "q", 0), wire);
        for (String filter : wanted.keySet()) {
            assertTrue(wire.keySet().stream().anyMatch(w -> TopicFilters.cover(w, filter).equals(w)),
                    filter + " is covered by " + wire);
        }
    }

    @Test
    void malformedFiltersAreNamed() {
        assertNull(TopicFilters.problem("a/+/#"));
        assertNotNull(TopicFilters.problem(""));
        assertNotNull(TopicFilters.problem("a/#/b"));
        assertNotNull(TopicFilters.problem("a/b+"));
    }

    @Test
    void aSharedSubscriptionMatchesWhatItsFilterMatches() {
        assertTrue(TopicFilters.matches("$share/g1/sensors/+/temp", "sensors/1/temp"));
        assertTrue(TopicFilters.matches("$share/g1/#", "a/b"));
        assertFalse(TopicFilters.matches("$share/g1/sensors/+", "g1/sensors/1"));
        assertFalse(TopicFilters.matches("$share/g1", "g1"));
    }

    @Test
    void aSharedSubscriptionNeedsAGroupAndAValidFilter() {
        assertNull(TopicFilters.problem("$share/g1/sensors/#"));
        assertNotNull(TopicFilters.problem("$share//sensors"));
        assertNotNull(TopicFilters.problem("$share/g+/sensors"));
        assertNotNull(TopicFilters.problem("$share/g1/"));
        assertNotNull(TopicFilters.problem("$share/g1"));
        assertNotNull(TopicFilters.problem("$share/g1/a/#/b"));
    }

    @Test
    void sharedSubscriptionsGoOnTheWireAsTheyAre() {
        Map<String, Integer> wanted = new LinkedHashMap<>();
        wanted.put("$share/g1/a/+", 1);
        wanted.put("a/#", 0);
        wanted.put("$share/g1/a/b", 0);
        wanted.put("$share/g2/a/+", 0);
        wanted.put("a/c", 1);
        assertEquals(Map.of("$share/g1/a/+", 1, "a/#", 1, "$share/g1/a/b", 0, "$share/g2/a/+", 0),
                TopicFilters.wireSubscriptions(wanted));
    }
}

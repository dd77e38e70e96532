package io.tether.pool.internal.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import org.junit.jupiter.api.Test;

class SerialExecutorTest {

    @Test
    void runsTasksInOrderAndGoesOnAfterOneThrowsAnError() throws Exception {
        ExecutorService shared = Executors.newFixedThreadPool(4);
        try {
            SerialExecutor serial = new SerialExecutor(shared);
            List<Integer> ran = new CopyOnWriteArrayList<>();
            for (int i = 0; i < 100; i++) {
                int task = i;
                serial.execute(() -> {
                    if (task == 50) {
                        throw new NoClassDefFoundError("gone with its bundle");
                    }
                    ran.add(task);
                });
            }
            StatusRecorder.await(() -> ran.size() == 99, "all other tasks run");
            assertEquals(java.util.stream.IntStream.range(0, 100).filter(i -> i != 50).boxed().toList(), ran);
        } finally {
            shared.shutdown();
        }
    }
}

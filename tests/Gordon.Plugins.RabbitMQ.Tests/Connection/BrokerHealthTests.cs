using Gordon.Abstractions.Plugins;
using Gordon.Plugins.RabbitMQ.Connection;
using Microsoft.Extensions.Time.Testing;

namespace Gordon.Plugins.RabbitMQ.Tests.Connection;

public sealed class BrokerHealthTests
{
    [Test]
    public void Get_BrokerDownLongerThanUnhealthyAfter_TurnsFromDegradedToUnhealthy()
    {
        var time = new FakeTimeProvider();
        var health = new BrokerHealth(time, TimeSpan.FromMinutes(1), "amqp://u@h:5672/");
        health.Up();
        health.Down(new BrokerFailure("Connection refused", OperatorMustAct: false));

        var early = health.Get();
        time.Advance(TimeSpan.FromSeconds(61));
        var late = health.Get();

        Assert.Multiple(() =>
        {
            Assert.That(early.State, Is.EqualTo(PluginHealthState.Degraded));
            Assert.That(early.Detail, Is.EqualTo("RabbitMQ at amqp://u@h:5672/ unreachable for 0s: Connection refused"));
            Assert.That(late.State, Is.EqualTo(PluginHealthState.Unhealthy));
            Assert.That(late.Detail, Does.Contain("unreachable for 61s"));
        });
    }

    [Test]
    public void Get_FailureAnOperatorMustFix_IsUnhealthyAtOnce()
    {
        var health = new BrokerHealth(new FakeTimeProvider(), TimeSpan.FromMinutes(1), "b");

        health.Down(new BrokerFailure("login refused", OperatorMustAct: true));

        Assert.That(health.Get().State, Is.EqualTo(PluginHealthState.Unhealthy));
    }

    [Test]
    public void Get_Reconnected_IsHealthy()
    {
        var health = new BrokerHealth(new FakeTimeProvider(), TimeSpan.FromMinutes(1), "b");
        health.Down(new BrokerFailure("down", OperatorMustAct: false));

        health.Up();

        Assert.That(health.Get(), Is.EqualTo(PluginHealth.Healthy));
    }

    [Test]
    public void Get_NeverConnected_CountsTheOutageFromTheStart()
    {
        var time = new FakeTimeProvider();
        var health = new BrokerHealth(time, TimeSpan.FromSeconds(30), "b");

        time.Advance(TimeSpan.FromSeconds(31));
        health.Down(new BrokerFailure("refused", OperatorMustAct: false));

        Assert.That(health.Get().State, Is.EqualTo(PluginHealthState.Unhealthy));
    }
}

using RabbitMQ.Client;
using RabbitMQ.Client.Events;
using RabbitMQ.Client.Exceptions;

namespace Gordon.Plugins.RabbitMQ.Connection;

/// <summary>
/// Why talking to the broker failed, in words for an operator, and whether waiting can fix it: a refused login, a
/// missing virtual host or queue, or a queue declared with other arguments needs an operator; a refused or dropped
/// connection usually heals when the broker is back.
/// </summary>
/// <param name="Reason">What went wrong.</param>
/// <param name="OperatorMustAct">True when retrying alone will not fix it.</param>
internal readonly record struct BrokerFailure(string Reason, bool OperatorMustAct)
{
    /// <summary>Describes an exception thrown while connecting, declaring, publishing or consuming.</summary>
    /// <param name="exception">The exception.</param>
    /// <returns>The failure.</returns>
    public static BrokerFailure From(Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        for (var e = exception; e is not null; e = e.InnerException)
        {
            switch (e)
            {
                case AuthenticationFailureException or PossibleAuthenticationFailureException:
                    return new BrokerFailure($"login refused: {e.Message}", OperatorMustAct: true);
                case OperationInterruptedException { ShutdownReason: { } reason }:
                    return From(reason);
            }
        }

        var innermost = exception;
        while (innermost.InnerException is not null)
        {
            innermost = innermost.InnerException;
        }

        var text = ReferenceEquals(innermost, exception) ? exception.Message : $"{exception.Message} ({innermost.Message})";
        return new BrokerFailure(text, OperatorMustAct: false);
    }

    /// <summary>Describes the broker's or the client's reason for closing a connection or channel.</summary>
    /// <param name="reason">The shutdown reason.</param>
    /// <returns>The failure.</returns>
    public static BrokerFailure From(ShutdownEventArgs reason)
    {
        ArgumentNullException.ThrowIfNull(reason);
        var mustAct = reason.ReplyCode is Constants.AccessRefused or Constants.NotFound or Constants.PreconditionFailed
            or Constants.NotAllowed or Constants.ResourceLocked;
        var text = $"{reason.ReplyCode} {reason.ReplyText}";
        if (reason.Initiator == ShutdownInitiator.Library && reason.Exception is { } cause)
        {
            text += $" ({cause.Message})";
        }

        return new BrokerFailure(text, mustAct);
    }
}
